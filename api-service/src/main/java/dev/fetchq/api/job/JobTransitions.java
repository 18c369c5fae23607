package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobStatus.CANCELLED;
import static dev.fetchq.api.job.JobStatus.DEAD;
import static dev.fetchq.api.job.JobStatus.QUEUED;
import static dev.fetchq.api.job.JobStatus.RETRY_SCHEDULED;
import static dev.fetchq.api.job.JobStatus.RUNNING;
import static dev.fetchq.api.job.JobStatus.SUCCEEDED;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one table of allowed status changes, each with who may make it. Every status change of a
 * {@link Job} is checked here.
 *
 * <p>A status is <em>final</em> when neither a worker nor a client can move it: SUCCEEDED, DEAD and
 * CANCELLED. The only way out of a final status is an operator's replay of a dead job from the
 * dead-letter queue (DEAD → QUEUED).
 */
final class JobTransitions {

  /** Who changes a job's status. */
  enum Cause {
    /** A worker's event. */
    WORKER,
    /** A client's request (cancel). */
    CLIENT,
    /** An operator's admin request (replay from the dead-letter queue). */
    OPERATOR
  }

  private static final Map<JobStatus, Map<JobStatus, Cause>> ALLOWED =
      new EnumMap<>(JobStatus.class);

  static {
    ALLOWED.put(QUEUED, Map.of(RUNNING, Cause.WORKER, CANCELLED, Cause.CLIENT));
    ALLOWED.put(
        RUNNING,
        Map.of(
            SUCCEEDED, Cause.WORKER,
            RETRY_SCHEDULED, Cause.WORKER,
            DEAD, Cause.WORKER,
            CANCELLED, Cause.CLIENT));
    ALLOWED.put(RETRY_SCHEDULED, Map.of(RUNNING, Cause.WORKER, CANCELLED, Cause.CLIENT));
    ALLOWED.put(SUCCEEDED, Map.of());
    ALLOWED.put(DEAD, Map.of(QUEUED, Cause.OPERATOR));
    ALLOWED.put(CANCELLED, Map.of());
  }

  private JobTransitions() {}

  /** Whether {@code cause} may move a job from {@code from} to {@code to}. */
  static boolean allowed(JobStatus from, JobStatus to, Cause cause) {
    return ALLOWED.get(from).get(to) == cause;
  }

  /** Whether anyone may move a job from {@code from} to {@code to}. */
  static boolean allowed(JobStatus from, JobStatus to) {
    return ALLOWED.get(from).containsKey(to);
  }

  /** Whether neither a worker nor a client can change this status any more. */
  static boolean isFinal(JobStatus status) {
    return !ALLOWED.get(status).containsValue(Cause.WORKER)
        && !ALLOWED.get(status).containsValue(Cause.CLIENT);
  }
}
