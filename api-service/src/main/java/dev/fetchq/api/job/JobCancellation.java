package dev.fetchq.api.job;

import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.api.security.Caller;
import dev.fetchq.model.ControlMessage;
import dev.fetchq.model.Topology;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Cancels a job: in one transaction the job becomes CANCELLED and a {@link
 * ControlMessage.CancelJob} is put in the outbox for {@link Topology#CONTROL_STREAM}, which every
 * worker reads. A worker skips a cancelled job it has not started and stops one it is downloading;
 * the API does not wait for that. Events the worker sends afterwards change nothing, as CANCELLED
 * is final.
 */
@Service
class JobCancellation {

  private static final Logger log = LoggerFactory.getLogger(JobCancellation.class);

  private final JobRepository jobs;
  private final JobAttemptRepository attempts;
  private final Outbox outbox;
  private final JobMetrics metrics;
  private final TransactionOperations transactions;
  private final Clock clock;

  JobCancellation(
      JobRepository jobs,
      JobAttemptRepository attempts,
      Outbox outbox,
      JobMetrics metrics,
      TransactionOperations transactions,
      Clock clock) {
    this.jobs = jobs;
    this.attempts = attempts;
    this.outbox = outbox;
    this.metrics = metrics;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Cancels the job, for its owner or an admin.
   *
   * @return the cancelled job
   * @throws org.springframework.web.ErrorResponseException 404 for an unknown job or one the caller
   *     may not see, 409 for a job that is already final
   */
  Job cancel(UUID id, Caller caller) {
    try (var _ = MDC.putCloseable("jobId", id.toString())) {
      return cancelNow(id, caller);
    }
  }

  private Job cancelNow(UUID id, Caller caller) {
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Cancelled change =
        transactions.execute(
            status -> {
              Job job =
                  jobs.findByIdForUpdate(id)
                      .filter(j -> caller.mayAccess(j.owner()))
                      .orElseThrow(() -> JobProblems.notFound(id));
              if (!(job.cancel(at) instanceof Job.Decision.Applied(Job cancelled))) {
                throw JobProblems.cannotCancel(id, job.status());
              }
              jobs.update(cancelled);
              if (job.status() == JobStatus.RUNNING) {
                attempts.record(id, JobAttempt.cancelled(job.attempts(), at), false);
              }
              outbox.enqueue(
                  Topology.CONTROL_EXCHANGE,
                  Topology.CONTROL_ROUTING_KEY,
                  id.toString(),
                  Map.of(),
                  new ControlMessage.CancelJob(id, at));
              return new Cancelled(job.status(), cancelled);
            });
    metrics.finished(change.job());
    log.atInfo()
        .addKeyValue("status", JobStatus.CANCELLED)
        .log("Job {} {} -> CANCELLED (cancelled by {})", id, change.from(), caller.name());
    return change.job();
  }

  private record Cancelled(JobStatus from, Job job) {}
}
