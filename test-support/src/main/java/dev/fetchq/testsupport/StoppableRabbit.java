package dev.fetchq.testsupport;

/**
 * A RabbitMQ broker of one test class's own, which it may stop and start as an operator would
 * ({@code rabbitmqctl stop_app} / {@code start_app}) without disturbing anything else. From {@link
 * TestServices#stoppableRabbit()}: a container with Docker, otherwise a second broker node started
 * from the machine's RabbitMQ installation on free loopback ports.
 */
public interface StoppableRabbit extends AutoCloseable {

  /**
   * Where it listens; the default vhost. Stays the same across {@link #stopApp}/{@link #startApp}.
   */
  RabbitEndpoint endpoint();

  /**
   * {@code rabbitmqctl stop_app}: the broker closes every connection and refuses new ones; durable
   * queues and their messages stay on disk.
   */
  void stopApp();

  /** {@code rabbitmqctl start_app}, returning once the broker accepts connections again. */
  void startApp();

  /** Stops the broker for good and removes its data. */
  @Override
  void close();
}
