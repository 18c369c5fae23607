package dev.fetchq.api.deadletter;

/** What a replay did with the dead letters of one job. */
enum ReplayOutcome {
  /** The job is QUEUED again with a fresh attempt budget; its dead letters are gone. */
  REPLAYED,
  /**
   * The job is QUEUED again, but the broker had not confirmed its job message within the replay
   * timeout. The outbox keeps publishing it; its dead letters stay until a later replay or discard
   * removes them as out of date.
   */
  REPLAYED_UNCONFIRMED,
  /**
   * The dead letters were out of date (the job succeeded, was cancelled, or moved past that
   * attempt, e.g. by an earlier replay) and were removed. The job is unchanged.
   */
  STALE_REMOVED,
  /**
   * The job is not DEAD (yet): its failure may still be on its way to the job row, or the broker
   * dead-lettered the message while the job looked alive. The dead letters stay.
   */
  NOT_DEAD,
  /** The message is not a readable job message; it stays (discard it to remove it). */
  SKIPPED_POISON,
  /** There is a dead letter but no such job in the database; it stays. */
  UNKNOWN_JOB,
  /** No dead letter for this job id was found in the queue. */
  NOT_FOUND
}
