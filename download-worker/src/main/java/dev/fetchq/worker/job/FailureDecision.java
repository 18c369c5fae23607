package dev.fetchq.worker.job;

import java.time.Duration;

/** What to do with a job whose attempt failed. */
sealed interface FailureDecision {

  /**
   * The job is finished: it goes to the dead-letter queue and a Failed event is published.
   *
   * @param why why no further attempt is made, for the log
   */
  record DeadLetter(String why) implements FailureDecision {}

  /**
   * The job waits in a retry tier and is then delivered again as attempt {@code nextAttempt}.
   *
   * @param tier the tier (wait queue) it waits in
   * @param delay how long it waits: the tier, or up to the jitter less; never more than the tier
   * @param nextAttempt the attempt number the retry carries
   */
  record Retry(Duration tier, Duration delay, int nextAttempt) implements FailureDecision {}
}
