package dev.fetchq.api.job;

import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.model.Headers;
import dev.fetchq.model.Topology;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Accepts a job: stores it and its job message in one transaction. The outbox relay publishes the
 * message after the commit, so a broker outage never loses or rejects a job.
 */
@Service
class JobSubmission {

  private static final Logger log = LoggerFactory.getLogger(JobSubmission.class);

  private final JobRepository jobs;
  private final Outbox outbox;
  private final JobIdGenerator ids;
  private final JobMetrics metrics;
  private final TransactionOperations transactions;
  private final Clock clock;

  JobSubmission(
      JobRepository jobs,
      Outbox outbox,
      JobIdGenerator ids,
      JobMetrics metrics,
      TransactionOperations transactions,
      Clock clock) {
    this.jobs = jobs;
    this.outbox = outbox;
    this.ids = ids;
    this.metrics = metrics;
    this.transactions = transactions;
    this.clock = clock;
  }

  Job submit(SubmitJobRequest request) {
    String expectedSha256 =
        request.sha256() == null ? null : request.sha256().toLowerCase(Locale.ROOT);
    // PostgreSQL keeps microseconds: truncate so the answer shows what a later GET shows.
    var createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Job job = Job.queued(ids.next(), request.url(), expectedSha256, request.filename(), createdAt);
    try (var _ = MDC.putCloseable("jobId", job.id().toString())) {
      store(job);
      metrics.submitted();
      log.info("Job {} queued", job.id());
    }
    return job;
  }

  private void store(Job job) {
    transactions.executeWithoutResult(
        status -> {
          jobs.insert(job);
          outbox.enqueue(
              Topology.JOBS_EXCHANGE,
              Topology.JOBS_ROUTING_KEY,
              job.id().toString(),
              Map.of(Headers.ATTEMPT, 1),
              job.command());
        });
  }
}
