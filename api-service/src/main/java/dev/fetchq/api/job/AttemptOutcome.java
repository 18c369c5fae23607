package dev.fetchq.api.job;

/** How one attempt of a job ended, as its attempt history shows it. */
enum AttemptOutcome {
  /** Started (or reporting progress) and not ended yet, as far as fetchq knows. */
  RUNNING,
  /** Stored and verified the file. */
  SUCCEEDED,
  /** Failed transiently; a later attempt follows. */
  RETRY_SCHEDULED,
  /** Failed for good: the job went to the dead-letter queue. */
  FAILED,
  /** The job was cancelled while this attempt ran. */
  CANCELLED;

  boolean ended() {
    return this != RUNNING;
  }
}
