package dev.fetchq.api.job;

import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.model.Headers;
import dev.fetchq.model.Topology;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts a job: stores it and its job message in one transaction. The outbox relay publishes the
 * message after the commit, so a broker outage never loses or rejects a job. Without an idempotency
 * key, concurrent submissions share their transaction ({@link GroupCommit}); each returns only once
 * its job is committed.
 *
 * <p>With an {@link IdempotencyKey}, the key is claimed for the owner in the same transaction,
 * before the job is written. A key already used for the same request answers that job and writes
 * nothing (no second job, no second message), also when both requests race: the second waits for
 * the first to commit. A key used for a different request is refused with 422.
 */
@EnableConfigurationProperties(IdempotencyProperties.class)
@Service
class JobSubmission {

  private static final Logger log = LoggerFactory.getLogger(JobSubmission.class);
  private static final Map<String, Object> ATTEMPT_ONE = Map.of(Headers.ATTEMPT, 1);

  private final JobRepository jobs;
  private final GroupCommit groupCommit;
  private final IdempotencyKeyRepository idempotencyKeys;
  private final Outbox outbox;
  private final JobIdGenerator ids;
  private final JobMetrics metrics;
  private final TransactionOperations transactions;
  private final JsonMapper json;
  private final IdempotencyProperties idempotency;
  private final Clock clock;

  JobSubmission(
      JobRepository jobs,
      GroupCommit groupCommit,
      IdempotencyKeyRepository idempotencyKeys,
      Outbox outbox,
      JobIdGenerator ids,
      JobMetrics metrics,
      TransactionOperations transactions,
      JsonMapper json,
      IdempotencyProperties idempotency,
      Clock clock) {
    this.jobs = jobs;
    this.groupCommit = groupCommit;
    this.idempotencyKeys = idempotencyKeys;
    this.outbox = outbox;
    this.ids = ids;
    this.metrics = metrics;
    this.transactions = transactions;
    this.json = json;
    this.idempotency = idempotency;
    this.clock = clock;
  }

  /**
   * What a submission did.
   *
   * @param replayed whether an earlier request with the same idempotency key created the job
   */
  record Submitted(Job job, boolean replayed) {}

  /**
   * Stores the job for {@code owner}.
   *
   * @param key the request's idempotency key, or {@code null}
   * @throws org.springframework.web.ErrorResponseException 422 when {@code key} was used for a
   *     different request
   */
  Submitted submit(SubmitJobRequest request, String owner, IdempotencyKey key) {
    String expectedSha256 =
        request.sha256() == null ? null : request.sha256().toLowerCase(Locale.ROOT);
    // PostgreSQL keeps microseconds: truncate so the answer shows what a later GET shows.
    Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Job job =
        Job.queued(ids.next(), request.url(), expectedSha256, request.filename(), owner, createdAt);
    try (var _ = MDC.putCloseable("jobId", job.id().toString())) {
      Submitted submitted;
      if (key == null) {
        // The message is prepared here, where the request's trace context is current.
        groupCommit.store(
            job,
            outbox.prepare(
                Topology.JOBS_EXCHANGE,
                Topology.JOBS_ROUTING_KEY,
                job.id().toString(),
                ATTEMPT_ONE,
                job.command()));
        submitted = new Submitted(job, false);
      } else {
        submitted = transactions.execute(status -> store(job, request, key));
      }
      if (submitted.replayed()) {
        log.info(
            "Idempotency key of {} answered with job {}, created earlier",
            owner,
            submitted.job().id());
      } else {
        metrics.submitted();
        // DEBUG: a line per job costs more than the rest of the request at thousands a second.
        log.debug("Job {} queued", job.id());
      }
      return submitted;
    }
  }

  private Submitted store(Job job, SubmitJobRequest request, IdempotencyKey key) {
    if (key != null) {
      String fingerprint = fingerprint(request);
      Instant expiredBefore = job.createdAt().minus(idempotency.retention());
      Optional<IdempotencyKeyRepository.Used> used =
          idempotencyKeys.claim(
              job.owner(), key, fingerprint, job.id(), job.createdAt(), expiredBefore);
      if (used.isPresent()) {
        return replay(used.get(), fingerprint, key);
      }
    }
    // The job and its message in one statement: one round trip fewer per submission.
    outbox.enqueueWith(
        jobs.insertion(job),
        Topology.JOBS_EXCHANGE,
        Topology.JOBS_ROUTING_KEY,
        job.id().toString(),
        ATTEMPT_ONE,
        job.command());
    return new Submitted(job, false);
  }

  private Submitted replay(
      IdempotencyKeyRepository.Used used, String fingerprint, IdempotencyKey key) {
    if (!used.requestSha256().equals(fingerprint)) {
      throw JobProblems.idempotencyKeyReused(key);
    }
    Job earlier =
        jobs.findById(used.jobId())
            .orElseThrow(() -> new IllegalStateException("Idempotency key without its job"));
    return new Submitted(earlier, true);
  }

  /**
   * The SHA-256 of the request in canonical form: its fields in a fixed order, normalised as stored
   * (the checksum in lower case). Two bodies that differ only in spacing, field order, unknown
   * fields or the checksum's case are the same request.
   */
  private String fingerprint(SubmitJobRequest request) {
    byte[] canonical = json.writeValueAsBytes(request.canonical());
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
