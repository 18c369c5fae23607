package dev.fetchq.testsupport;

/**
 * A PostgreSQL server of one test class's own, which it may stop and start (a restart, as an
 * operator or a failover would) without disturbing anything else. From {@link
 * TestServices#stoppablePostgres()}: a container with Docker, otherwise a server initialised with
 * the machine's PostgreSQL binaries ({@code initdb}, {@code pg_ctl}) on a free loopback port.
 */
public interface StoppablePostgres extends AutoCloseable {

  /** Its database; the address stays the same across {@link #stop}/{@link #start}. */
  PostgresEndpoint endpoint();

  /**
   * Shuts the server down ({@code pg_ctl stop -m fast}): open connections are terminated and new
   * ones refused until {@link #start}. Committed data stays.
   */
  void stop();

  /** Starts it again, returning once it accepts connections. */
  void start();

  /** Stops the server for good and removes its data. */
  @Override
  void close();
}
