package dev.fetchq.api.job;

import dev.fetchq.model.JobEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Projects worker {@link JobEvent}s into their job rows and attempt history: a batch of events per
 * transaction, with the rows of the batch's jobs locked while the {@link Job} aggregate decides.
 * Idempotent, so redelivered, duplicated and reordered events are safe.
 *
 * <p>Events of a batch apply in their order, each to the job as the events before it left it: the
 * same outcome as one transaction per event, with one lock query, one batch of attempt merges and
 * one update per changed job. Batches that share jobs lock them in id order, so concurrent batches
 * wait for each other rather than deadlock.
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
   * An event as it was delivered.
   *
   * @param logContext MDC entries for log lines about this event, e.g. the trace it continues
   */
  public record Delivered(JobEvent event, Map<String, String> logContext) {

    public Delivered(JobEvent event) {
      this(event, Map.of());
    }
  }

  /** Applies one event: {@link #applyAll} of a batch of one. */
  public void apply(JobEvent event) {
    applyAll(List.of(new Delivered(event)));
  }

  /**
   * Applies the events to their jobs in one transaction, in list order. An event for an unknown job
   * is logged and dropped: the job may belong to another deployment, and retrying cannot make it
   * known. When this throws, nothing of the batch was applied.
   */
  public void applyAll(List<Delivered> batch) {
    List<Change> changes = transactions.execute(status -> applyLocked(batch));
    for (Change change : changes) {
      report(change);
    }
  }

  private List<Change> applyLocked(List<Delivered> batch) {
    var ids = new TreeSet<UUID>();
    for (Delivered delivered : batch) {
      ids.add(delivered.event().jobId());
    }
    Map<UUID, Job> current = jobs.findAllByIdForUpdate(ids);
    var merges = new ArrayList<JobAttemptRepository.Merge>(batch.size());
    var changed = new LinkedHashMap<UUID, Job>();
    var changes = new ArrayList<Change>();
    for (Delivered delivered : batch) {
      JobEvent event = delivered.event();
      Job before = current.get(event.jobId());
      if (before == null) {
        withContext(delivered, () -> dropped(event));
        continue;
      }
      merges.add(
          new JobAttemptRepository.Merge(
              before.id(), JobAttempt.reportedBy(event), !before.status().isFinal()));
      switch (before.apply(event)) {
        case Job.Decision.Applied(Job after) -> {
          current.put(after.id(), after);
          changed.put(after.id(), after);
          if (before.status() != after.status()) {
            changes.add(new Change(before, after, delivered));
          }
        }
        case Job.Decision.Ignored(String reason) ->
            log.debug(
                "Ignored {} event of attempt {} for job {}: {}",
                typeOf(event),
                event.attempt(),
                event.jobId(),
                reason);
      }
    }
    attempts.recordAll(merges);
    jobs.updateAll(changed.values());
    return changes;
  }

  private static void dropped(JobEvent event) {
    log.warn("Dropped a {} event for unknown job {}", typeOf(event), event.jobId());
  }

  /**
   * One line per status change, with the job id, attempt and the event's trace in the MDC. Only a
   * job that ended DEAD is logged at INFO: the rest is routine, and a line per job and step costs
   * more CPU than the projection itself at thousands of jobs a second.
   */
  private void report(Change change) {
    Job job = change.after();
    Level level = job.status() == JobStatus.DEAD ? Level.INFO : Level.DEBUG;
    if (log.isEnabledForLevel(level)) {
      withContext(
          change.cause(),
          () ->
              log.atLevel(level)
                  .addKeyValue("status", job.status())
                  .addKeyValue("reason", job.lastError() == null ? null : job.lastError().reason())
                  .log(
                      "Job {} {} -> {} (attempt {})",
                      job.id(),
                      change.before().status(),
                      job.status(),
                      job.attempts()));
    }
    if (job.status().isFinal()) {
      metrics.finished(job);
    }
  }

  private static void withContext(Delivered delivered, Runnable logging) {
    JobEvent event = delivered.event();
    MDC.put("jobId", String.valueOf(event.jobId()));
    MDC.put("attempt", Integer.toString(event.attempt()));
    delivered.logContext().forEach(MDC::put);
    try {
      logging.run();
    } finally {
      MDC.remove("jobId");
      MDC.remove("attempt");
      delivered.logContext().keySet().forEach(MDC::remove);
    }
  }

  private static String typeOf(JobEvent event) {
    return event.getClass().getSimpleName();
  }

  private record Change(Job before, Job after, Delivered cause) {}
}
