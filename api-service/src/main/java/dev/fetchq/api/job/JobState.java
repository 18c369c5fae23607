package dev.fetchq.api.job;

import java.util.UUID;

/**
 * Where a job stands, for features that need to judge a message about it (the dead-letter admin).
 *
 * @param status the job's status name
 * @param dead whether the job is DEAD (so it can be replayed)
 * @param finished whether the job is in a final status (SUCCEEDED, DEAD or CANCELLED)
 * @param attempts the job's latest attempt
 * @param budgetStart the first attempt of its current attempt budget
 */
public record JobState(
    UUID id, String status, boolean dead, boolean finished, int attempts, int budgetStart) {

  /**
   * Whether a message about attempt {@code attempt} of this job is out of date: the job finished in
   * another way than dying (succeeded, cancelled), or it has moved past that attempt (a later
   * attempt ran, or it was replayed since). Attempt numbers only grow, so an out-of-date message
   * stays out of date. {@code null} means the attempt is not known, which outdates a message only
   * when the job succeeded or was cancelled.
   */
  public boolean outdates(Integer attempt) {
    if (finished && !dead) {
      return true;
    }
    return attempt != null && (attempts > attempt || budgetStart > attempt);
  }
}
