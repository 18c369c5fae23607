package dev.fetchq.worker.download;

import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Enforces one attempt's {@link TransferLimits}: checked periodically by the {@link
 * TransferWatchdog}, and when a limit is broken the request in flight is aborted (which also ends a
 * read blocked on a silent origin) and no further request may start.
 */
final class TransferWatch implements AutoCloseable {

  private final TransferLimits limits;
  private Cancellable request;
  private String violation;
  private ScheduledFuture<?> task;

  TransferWatch(TransferLimits limits) {
    this.limits = limits;
  }

  synchronized void scheduledAs(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Ties the watch to the request about to be executed.
   *
   * @return {@code false} when a limit was already broken and the request must not start
   */
  synchronized boolean attach(Cancellable request) {
    if (violation != null) {
      return false;
    }
    this.request = request;
    return true;
  }

  void responseStarted() {
    limits.responseStarted(System.nanoTime());
  }

  void received(long bytes) {
    limits.received(bytes);
  }

  /** The limit that stopped the download, in words, if one did. */
  synchronized Optional<String> violation() {
    return Optional.ofNullable(violation);
  }

  /** Called by the watchdog. */
  void check() {
    Optional<String> broken = limits.check(System.nanoTime());
    if (broken.isEmpty()) {
      return;
    }
    Cancellable toAbort;
    synchronized (this) {
      if (violation != null) {
        return;
      }
      violation = broken.get();
      toAbort = request;
      if (task != null) {
        task.cancel(false);
      }
    }
    if (toAbort != null) {
      toAbort.cancel();
    }
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
