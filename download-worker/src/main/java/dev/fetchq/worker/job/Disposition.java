package dev.fetchq.worker.job;

import java.util.Locale;

/** What became of one delivery of a job message; the {@code outcome} tag of the jobs counter. */
enum Disposition {
  /** Stored and verified; Succeeded event published. */
  SUCCEEDED,
  /** Failed for good; in the dead-letter queue with a Failed event. */
  DEAD_LETTERED,
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
