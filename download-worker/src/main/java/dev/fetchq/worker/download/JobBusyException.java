package dev.fetchq.worker.download;

import java.time.Duration;
import java.util.UUID;

/**
 * Another delivery of the same job (a duplicate message, or a redelivery while the first worker is
 * still winding down) holds the job's files in storage, and kept them longer than this one waited.
 * Nothing was done: this delivery must come back later rather than download too.
 */
public class JobBusyException extends RuntimeException {

  JobBusyException(UUID jobId, Duration waited) {
    super(
        "job "
            + jobId
            + " is being downloaded by another delivery (its files stayed claimed for "
            + TransferLimits.text(waited)
            + ")");
  }
}
