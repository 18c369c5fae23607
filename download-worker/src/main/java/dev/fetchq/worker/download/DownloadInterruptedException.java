package dev.fetchq.worker.download;

/**
 * The downloading thread was interrupted: the worker is stopping. This is not a failure of the job,
 * which must be handed back to the broker rather than reported.
 */
public class DownloadInterruptedException extends RuntimeException {

  DownloadInterruptedException(Throwable cause) {
    super("download interrupted", cause);
  }
}
