package dev.fetchq.worker.download;

import dev.fetchq.model.Failure;

/** A download did not produce a verified file; {@link #failure()} says why in contract terms. */
public class DownloadFailedException extends Exception {

  private final transient Failure failure;

  DownloadFailedException(Failure failure, Throwable cause) {
    super(failure.reason() + ": " + failure.message(), cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
