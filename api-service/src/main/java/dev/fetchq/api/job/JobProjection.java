package dev.fetchq.api.job;

import dev.fetchq.model.JobEvent;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Projects a worker's {@link JobEvent} into its job row and its attempt history: one transaction
 * per event, with the job row locked while the {@link Job} aggregate decides. Idempotent, so
 * redelivered, duplicated and reordered events are safe.
 *
 * <p>The attempt history records what the event says about its attempt even when the job ignores
 * the event (a late retry event of an earlier attempt still tells how that attempt ended). Once the
 * job is final, late events only complete attempts already known: they never add a new attempt to a
 * job that is over.
 */
@Service
public class JobProjection {

  private static final Logger log = LoggerFactory.getLogger(JobProjection.class);

  private final JobRepository jobs;
  private final JobAttemptRepository attempts;
  private final JobMetrics metrics;
  private final TransactionOperations transactions;

  JobProjection(
      JobRepository jobs,
      JobAttemptRepository attempts,
      JobMetrics metrics,
      TransactionOperations transactions) {
    this.jobs = jobs;
    this.attempts = attempts;
    this.metrics = metrics;
    this.transactions = transactions;
  }

  /**
   * Applies the event to its job. An event for an unknown job is logged and dropped: the job may
   * belong to another deployment, and retrying cannot make it known.
   */
  public void apply(JobEvent event) {
    try (var _ = MDC.putCloseable("jobId", String.valueOf(event.jobId()));
        var _ = MDC.putCloseable("attempt", Integer.toString(event.attempt()))) {
      Optional<Change> change = transactions.execute(status -> applyLocked(event));
      change.filter(Change::statusChanged).ifPresent(this::report);
    }
  }

  private Optional<Change> applyLocked(JobEvent event) {
    Optional<Job> current = jobs.findByIdForUpdate(event.jobId());
    if (current.isEmpty()) {
      log.warn("Dropped a {} event for unknown job {}", typeOf(event), event.jobId());
      return Optional.empty();
    }
    Job before = current.get();
    attempts.record(before.id(), JobAttempt.reportedBy(event), !before.status().isFinal());
    return switch (before.apply(event)) {
      case Job.Decision.Applied(Job after) -> {
        jobs.update(after);
        yield Optional.of(new Change(before, after));
      }
      case Job.Decision.Ignored(String reason) -> {
        log.debug(
            "Ignored {} event of attempt {} for job {}: {}",
            typeOf(event),
            event.attempt(),
            event.jobId(),
            reason);
        yield Optional.empty();
      }
    };
  }

  private void report(Change change) {
    Job job = change.after();
    log.atInfo()
        .addKeyValue("status", job.status())
        .log(
            "Job {} {} -> {} (attempt {})",
            job.id(),
            change.before().status(),
            job.status(),
            job.attempts());
    if (job.status().isFinal()) {
      metrics.finished(job);
    }
  }

  private static String typeOf(JobEvent event) {
    return event.getClass().getSimpleName();
  }

  private record Change(Job before, Job after) {
    boolean statusChanged() {
      return before.status() != after.status();
    }
  }
}
