package dev.fetchq.api.deadletter;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Runs one dead-letter operation at a time across every api-service replica, with a PostgreSQL
 * advisory lock. A listing holds messages unacknowledged while it looks at them; a replay holds
 * them until the broker confirmed the replayed jobs. Without the lock, another request would see
 * the queue with those messages missing, or a replay could miss the duplicates another request
 * holds.
 *
 * <p>The lock is transaction-scoped ({@code pg_try_advisory_xact_lock}) on a connection of its own
 * that does nothing else: ending that transaction releases it, also when the request fails or the
 * process dies, and the pooled connection comes back clean.
 */
@Component
class DeadLetterLock {

  /** The advisory lock key: "fetchqDL" in ASCII. */
  static final long KEY = 0x666574636871444cL;

  private static final Duration RETRY_EVERY = Duration.ofMillis(50);

  private final DataSource dataSource;
  private final Duration timeout;

  DeadLetterLock(DataSource dataSource, DeadLetterProperties properties) {
    this.dataSource = dataSource;
    this.timeout = properties.lockTimeout();
  }

  /**
   * Runs {@code operation} holding the lock.
   *
   * @throws org.springframework.web.ErrorResponseException 503 when another operation holds the
   *     lock for longer than the lock timeout
   */
  <T> T call(Supplier<T> operation) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        acquire(connection);
        return operation.get();
      } finally {
        connection.rollback(); // releases the lock
      }
    } catch (SQLException e) {
      throw new DataAccessResourceFailureException("Dead-letter lock: " + e.getMessage(), e);
    }
  }

  private void acquire(Connection connection) throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (var statement = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      statement.setLong(1, KEY);
      while (true) {
        try (var result = statement.executeQuery()) {
          result.next();
          if (result.getBoolean(1)) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw DeadLetterProblems.busy();
        }
        try {
          Thread.sleep(RETRY_EVERY);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw DeadLetterProblems.busy();
        }
      }
    }
  }
}
