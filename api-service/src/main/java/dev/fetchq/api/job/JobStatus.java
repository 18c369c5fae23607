package dev.fetchq.api.job;

/**
 * Where a job is in its life. Which status may follow which is decided by {@link JobTransitions}.
 */
enum JobStatus {
  /** Accepted and waiting for a worker. */
  QUEUED,
  /** A worker is downloading it. */
  RUNNING,
  /** An attempt failed transiently; the job will be delivered again at its next attempt time. */
  RETRY_SCHEDULED,
  /** Stored and verified. Final. */
  SUCCEEDED,
  /** Failed for good and dead-lettered. Final. */
  DEAD,
  /** Cancelled by a client. Final. */
  CANCELLED;

  boolean isFinal() {
    return JobTransitions.isFinal(this);
  }
}
