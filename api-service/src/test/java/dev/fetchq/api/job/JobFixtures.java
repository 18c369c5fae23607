package dev.fetchq.api.job;

import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import dev.fetchq.model.JobEvent;
import java.time.Instant;
import java.util.UUID;

/** Jobs in every status and the events workers send, for aggregate tests. */
final class JobFixtures {

  static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
  static final Instant CREATED = Instant.parse("2026-01-10T10:00:00Z");
  static final String WORKER = "worker-1";
  static final String OWNER = "client-a";
  static final Failure UNAVAILABLE =
      Failure.http(FailureReason.HTTP_TRANSIENT, 503, "Service Unavailable");
  static final Failure NOT_FOUND = Failure.http(FailureReason.HTTP_CLIENT_ERROR, 404, "Not Found");

  private JobFixtures() {}

  /** When attempt {@code n} started: attempts start a minute apart. */
  static Instant startOf(int attempt) {
    return CREATED.plusSeconds(60L * attempt);
  }

  static Instant endOf(int attempt) {
    return startOf(attempt).plusSeconds(30);
  }

  static Job aQueuedJob() {
    return Job.queued(ID, "https://example.org/report.pdf", null, "report.pdf", OWNER, CREATED);
  }

  static Job aRunningJob() {
    return aRunningJob(1);
  }

  static Job aRunningJob(int attempt) {
    return aQueuedJob()
        .draft()
        .status(JobStatus.RUNNING)
        .attempts(attempt)
        .firstStartedAt(startOf(1))
        .attemptStartedAt(startOf(attempt))
        .bytes(0L)
        .worker(WORKER)
        .build();
  }

  static Job aRetryScheduledJob(int attempt) {
    return aRunningJob(attempt)
        .draft()
        .status(JobStatus.RETRY_SCHEDULED)
        .lastError(UNAVAILABLE)
        .nextAttemptAt(endOf(attempt).plusSeconds(10))
        .build();
  }

  static Job aSucceededJob() {
    return aRunningJob()
        .draft()
        .status(JobStatus.SUCCEEDED)
        .bytes(4096L)
        .totalBytes(4096L)
        .sha256("cd".repeat(32))
        .contentType("application/pdf")
        .storageKey("57/" + ID)
        .finishedAt(endOf(1))
        .build();
  }

  static Job aDeadJob() {
    return aRunningJob()
        .draft()
        .status(JobStatus.DEAD)
        .lastError(NOT_FOUND)
        .finishedAt(endOf(1))
        .build();
  }

  static Job aCancelledJob() {
    return aQueuedJob().draft().status(JobStatus.CANCELLED).finishedAt(endOf(1)).build();
  }

  static JobEvent.Started started(int attempt) {
    return new JobEvent.Started(ID, attempt, WORKER, startOf(attempt));
  }

  static JobEvent.Progress progress(int attempt, long bytes, Long totalBytes) {
    return new JobEvent.Progress(
        ID, attempt, WORKER, startOf(attempt).plusSeconds(5), bytes, totalBytes);
  }

  static JobEvent.Succeeded succeeded(int attempt) {
    return new JobEvent.Succeeded(
        ID,
        attempt,
        WORKER,
        endOf(attempt),
        startOf(attempt),
        4096,
        "cd".repeat(32),
        "application/pdf",
        "57/" + ID);
  }

  static JobEvent.RetryScheduled retryScheduled(int attempt) {
    return new JobEvent.RetryScheduled(
        ID,
        attempt,
        WORKER,
        endOf(attempt),
        UNAVAILABLE,
        attempt + 1,
        endOf(attempt).plusSeconds(10));
  }

  static JobEvent.Failed failed(int attempt) {
    return new JobEvent.Failed(ID, attempt, WORKER, endOf(attempt), NOT_FOUND);
  }
}
