package dev.fetchq.api.deadletter;

import java.util.List;

/**
 * The answer of {@code POST /dead-letters/replay}: one result per job, oldest dead letter first.
 *
 * @param queueDepth messages ready in the dead-letter queue when the replay started
 * @param scanned how many of them it looked at
 * @param complete whether it looked at all of them
 */
record ReplayResponse(List<Result> results, int queueDepth, int scanned, boolean complete) {

  /**
   * @param jobId the job (the dead letter's message id)
   * @param deadLetters how many dead letters of this job the replay found (duplicates happen: dead
   *     lettering is at least once)
   * @param nextAttempt for a replayed job: the attempt its job message carries
   * @param detail the outcome in words
   */
  record Result(
      String jobId, ReplayOutcome outcome, int deadLetters, Integer nextAttempt, String detail) {}
}
