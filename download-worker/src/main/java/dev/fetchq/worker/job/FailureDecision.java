package dev.fetchq.worker.job;

/**
 * What to do with a job whose attempt failed. The retry issue adds a {@code Retry} decision
 * (republish to a wait queue of the next tier); switches over this type then fail to compile until
 * they handle it.
 */
sealed interface FailureDecision {

  /**
   * The job is finished: it goes to the dead-letter queue and a Failed event is published.
   *
   * @param why why no further attempt is made, for the log
   */
  record DeadLetter(String why) implements FailureDecision {}
}
