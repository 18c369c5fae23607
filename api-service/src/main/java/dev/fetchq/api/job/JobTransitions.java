package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobStatus.CANCELLED;
import static dev.fetchq.api.job.JobStatus.DEAD;
import static dev.fetchq.api.job.JobStatus.QUEUED;
import static dev.fetchq.api.job.JobStatus.RETRY_SCHEDULED;
import static dev.fetchq.api.job.JobStatus.RUNNING;
import static dev.fetchq.api.job.JobStatus.SUCCEEDED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed status changes. Every status change of a {@link Job} is checked here; a
 * status without successors is final.
 */
final class JobTransitions {

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

  static {
    ALLOWED.put(QUEUED, EnumSet.of(RUNNING, CANCELLED));
    ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, RETRY_SCHEDULED, DEAD, CANCELLED));
    ALLOWED.put(RETRY_SCHEDULED, EnumSet.of(RUNNING, CANCELLED));
    ALLOWED.put(SUCCEEDED, EnumSet.noneOf(JobStatus.class));
    ALLOWED.put(DEAD, EnumSet.noneOf(JobStatus.class));
    ALLOWED.put(CANCELLED, EnumSet.noneOf(JobStatus.class));
  }

  private JobTransitions() {}

  static boolean allowed(JobStatus from, JobStatus to) {
    return ALLOWED.get(from).contains(to);
  }

  static boolean isFinal(JobStatus status) {
    return ALLOWED.get(status).isEmpty();
  }
}
