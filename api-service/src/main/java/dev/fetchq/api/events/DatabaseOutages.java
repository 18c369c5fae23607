package dev.fetchq.api.events;

import java.util.List;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Runs projection work on a consumer thread, waiting out an unreachable database with backoff
 * ({@link EventsProperties.Retry}): while the database is down nothing can be projected, so holding
 * the queue back is what we want. Any other failure, or the outage outlasting the timeout, is
 * thrown.
 */
final class DatabaseOutages {

  private static final List<Class<? extends Throwable>> OUTAGES =
      List.of(
          DataAccessResourceFailureException.class,
          TransientDataAccessException.class,
          CannotCreateTransactionException.class);

  private final RetryTemplate retry;

  DatabaseOutages(EventsProperties.Retry settings) {
    this.retry =
        new RetryTemplate(
            RetryPolicy.builder()
                .includes(OUTAGES)
                .maxRetries(Long.MAX_VALUE)
                .delay(settings.initialDelay())
                .multiplier(2)
                .maxDelay(settings.maxDelay())
                .timeout(settings.timeout())
                .build());
  }

  /** Whether {@code e} says the database is unreachable (rather than that the work is wrong). */
  static boolean isOutage(Throwable e) {
    return OUTAGES.stream().anyMatch(type -> type.isInstance(e));
  }

  /** Runs {@code work}, again after each failure caused by an unreachable database. */
  void waitOut(Runnable work) {
    try {
      retry.execute(
          () -> {
            work.run();
            return null;
          });
    } catch (RetryException e) {
      throw e.getLastException() instanceof RuntimeException last
          ? last
          : new IllegalStateException(e.getLastException());
    }
  }
}
