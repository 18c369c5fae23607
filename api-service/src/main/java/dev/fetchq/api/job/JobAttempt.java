package dev.fetchq.api.job;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import java.time.Instant;

/**
 * One attempt of a job as its history shows it: part of the public job JSON ({@code attemptHistory}
 * of {@code GET /jobs/{id}}).
 *
 * <p>A single event tells only part of an attempt; the repository merges what each event tells into
 * the attempt's row, filling fields and never clearing them.
 *
 * @param attempt the attempt number (1-based; numbers keep growing across replays)
 * @param worker the worker that ran it (the one that ended it, when several reported)
 * @param startedAt when it started
 * @param finishedAt when it ended; {@code null} while running
 * @param httpStatus the origin's HTTP status when the attempt failed on one
 * @param errorReason the failure class, when it failed
 * @param errorMessage the failure in words, when it failed
 * @param bytes bytes stored by this attempt, as far as reported
 */
record JobAttempt(
    int attempt,
    String worker,
    Instant startedAt,
    Instant finishedAt,
    AttemptOutcome outcome,
    Integer httpStatus,
    FailureReason errorReason,
    String errorMessage,
    Long bytes) {

  /** What one worker event tells about its attempt. */
  static JobAttempt reportedBy(JobEvent event) {
    int n = event.attempt();
    String worker = event.worker();
    return switch (event) {
      case JobEvent.Started e ->
          new JobAttempt(n, worker, e.at(), null, AttemptOutcome.RUNNING, null, null, null, null);
      case JobEvent.Progress e ->
          new JobAttempt(
              n, worker, null, null, AttemptOutcome.RUNNING, null, null, null, e.bytes());
      case JobEvent.Succeeded e ->
          new JobAttempt(
              n,
              worker,
              e.startedAt(),
              e.at(),
              AttemptOutcome.SUCCEEDED,
              null,
              null,
              null,
              e.bytes());
      case JobEvent.RetryScheduled e ->
          failed(n, worker, e.at(), AttemptOutcome.RETRY_SCHEDULED, e.failure());
      case JobEvent.Failed e -> failed(n, worker, e.at(), AttemptOutcome.FAILED, e.failure());
    };
  }

  /** The running attempt {@code attempt} ended because the job was cancelled at {@code at}. */
  static JobAttempt cancelled(int attempt, Instant at) {
    return new JobAttempt(
        attempt, null, null, at, AttemptOutcome.CANCELLED, null, null, null, null);
  }

  private static JobAttempt failed(
      int attempt, String worker, Instant at, AttemptOutcome outcome, Failure failure) {
    return new JobAttempt(
        attempt,
        worker,
        null,
        at,
        outcome,
        failure == null ? null : failure.httpStatus(),
        failure == null ? null : failure.reason(),
        failure == null ? null : failure.message(),
        null);
  }
}
