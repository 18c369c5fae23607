package dev.fetchq.worker.download;

import dev.fetchq.model.Failure;
import java.time.Duration;
import java.util.Optional;

/**
 * A download did not produce a verified file; {@link #failure()} says why in contract terms, and
 * {@link #retryAfter()} how long the origin asked us to wait before trying again, if it did.
 */
public class DownloadFailedException extends Exception {

  private final transient Failure failure;
  private final Duration retryAfter;

  DownloadFailedException(Failure failure, Duration retryAfter, Throwable cause) {
    super(failure.reason() + ": " + failure.message(), cause);
    this.failure = failure;
    this.retryAfter = retryAfter;
  }

  public Failure failure() {
    return failure;
  }

  /** The origin's {@code Retry-After}, as a delay from when its answer arrived. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
