package dev.fetchq.worker.job;

import java.util.Locale;

/** What became of one delivery of a job message; the {@code outcome} tag of the jobs counter. */
enum Disposition {
  /** Stored and verified; Succeeded event published. */
  SUCCEEDED,
  /** Failed transiently; parked in a retry tier with a RetryScheduled event. */
  RETRIED,
  /** Failed for good; in the dead-letter queue with a Failed event. */
  DEAD_LETTERED,
  /** The job was cancelled: not started, or stopped mid-download; acknowledged without events. */
  CANCELLED,
  /**
   * Given back to the broker unfinished (worker stopping, or its events could not be published).
   */
  REQUEUED,
  /** Not readable as a job; rejected into the dead-letter queue by the broker. */
  POISON,
  /** The listener failed unexpectedly; rejected into the dead-letter queue by the broker. */
  REJECTED;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
