package dev.fetchq.worker.download;

import dev.fetchq.model.FailureReason;
import java.io.IOException;

/**
 * The worker itself refused to go on (URL, size, checksum): the reason is known where the check is
 * made.
 */
final class DownloadRejectedException extends IOException {

  private final FailureReason reason;

  DownloadRejectedException(FailureReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  FailureReason reason() {
    return reason;
  }
}
