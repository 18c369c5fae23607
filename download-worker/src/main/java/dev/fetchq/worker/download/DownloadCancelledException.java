package dev.fetchq.worker.download;

/**
 * The download was stopped through its {@link CancelSignal}: the job was cancelled. Nothing is left
 * in storage. This is not a failure of the job, which needs no further attempt.
 */
public class DownloadCancelledException extends RuntimeException {

  DownloadCancelledException(Throwable cause) {
    super("download cancelled", cause);
  }
}
