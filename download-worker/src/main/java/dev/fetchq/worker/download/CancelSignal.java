package dev.fetchq.worker.download;

import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Lets another thread stop one download at once: {@link #cancel()} aborts the HTTP exchange, so
 * even a read blocked on a silent origin returns, and a download not yet started never sends its
 * request. Cancelling is final and may happen before, during or after the download.
 */
public final class CancelSignal {

  private Cancellable request;
  private boolean cancelled;

  /** Stops the download this signal was given to, now or as soon as it starts. */
  public void cancel() {
    Cancellable toAbort;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toAbort = request;
    }
    if (toAbort != null) {
      // Closes the connection immediately: a blocked read fails with a socket exception.
      toAbort.cancel();
    }
  }

  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Ties the signal to the request about to be executed.
   *
   * @return {@code false} when the download was already cancelled and must not start
   */
  synchronized boolean attach(Cancellable request) {
    if (cancelled) {
      return false;
    }
    this.request = request;
    return true;
  }
}
