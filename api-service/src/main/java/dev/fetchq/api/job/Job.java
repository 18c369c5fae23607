package dev.fetchq.api.job;

import static dev.fetchq.api.job.JobStatus.CANCELLED;
import static dev.fetchq.api.job.JobStatus.DEAD;
import static dev.fetchq.api.job.JobStatus.QUEUED;
import static dev.fetchq.api.job.JobStatus.RETRY_SCHEDULED;
import static dev.fetchq.api.job.JobStatus.RUNNING;
import static dev.fetchq.api.job.JobStatus.SUCCEEDED;

import dev.fetchq.api.job.JobTransitions.Cause;
import dev.fetchq.model.DownloadJob;
import dev.fetchq.model.Failure;
import dev.fetchq.model.JobEvent;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A download job, and the one place that decides how a worker event or a client's request changes
 * it. Immutable: a change is a {@link Decision} that carries the new job or says why nothing
 * changed. Every status change goes through {@link JobTransitions}.
 *
 * <p>Events arrive at least once and possibly out of order, so {@link #apply} is idempotent:
 *
 * <ul>
 *   <li>no event changes a final job (only an operator's {@link #replay} re-queues a dead one);
 *   <li>an event of an attempt older than the job's current attempt, or from before a replay, is
 *       stale;
 *   <li>an event of a later attempt implies that attempt started (and that a running earlier
 *       attempt ended in a retry), so a {@code Succeeded} that overtakes its {@code Started} still
 *       ends the job;
 *   <li>progress counts only while its attempt is running;
 *   <li>a duplicate of the event that produced the current state changes nothing.
 * </ul>
 *
 * @param owner the name of the API key that submitted the job; {@code null} for jobs from before
 *     API keys, which only admin keys see
 * @param startedAt when the first attempt started
 * @param attemptStartedAt when the current attempt started
 * @param storageKey where the worker stored the file, relative to the storage root
 * @param worker the worker that reported last
 * @param budgetStart the first attempt of the current attempt budget: 1, or the attempt after the
 *     last one when an operator replayed the dead job. Attempt numbers only grow, so events of
 *     attempts before it belong to the job's earlier life and change nothing.
 * @param discardedAt when an operator discarded the dead job's dead letter
 */
record Job(
    UUID id,
    String url,
    String expectedSha256,
    String filename,
    String owner,
    Instant createdAt,
    JobStatus status,
    int attempts,
    Instant startedAt,
    Instant attemptStartedAt,
    Instant finishedAt,
    Instant nextAttemptAt,
    Long bytes,
    Long totalBytes,
    String sha256,
    String contentType,
    String storageKey,
    String worker,
    Failure lastError,
    int budgetStart,
    Instant discardedAt) {

  static Job queued(
      UUID id,
      String url,
      String expectedSha256,
      String filename,
      String owner,
      Instant createdAt) {
    return new Job(
        id,
        url,
        expectedSha256,
        filename,
        owner,
        createdAt,
        QUEUED,
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        1,
        null);
  }

  /** The message a worker consumes for this job; the same for every attempt. */
  DownloadJob command() {
    return new DownloadJob(id, url, expectedSha256);
  }

  /** What an event or request does to a job. */
  sealed interface Decision {

    /** The job changed; {@code job} is its new state. */
    record Applied(Job job) implements Decision {}

    /** Nothing changed, and why. */
    record Ignored(String reason) implements Decision {}

    static Decision applied(Job job) {
      return new Applied(job);
    }

    static Decision ignored(String reason, Object... args) {
      return new Ignored(reason.formatted(args));
    }

    /** Continues with the changed job; an ignored step ignores the whole chain. */
    default Decision then(Function<Job, Decision> next) {
      return this instanceof Applied(Job job) ? next.apply(job) : this;
    }
  }

  /** Applies one worker event; see the class documentation for the rules. */
  Decision apply(JobEvent event) {
    Decision decision = decide(event);
    if (decision instanceof Decision.Applied(Job next) && next.equals(this)) {
      return Decision.ignored("it changes nothing");
    }
    return decision;
  }

  /** A client cancels the job: allowed from any status that is not final. */
  Decision cancel(Instant at) {
    return moveTo(CANCELLED, Cause.CLIENT, d -> d.finishedAt(at).nextAttemptAt(null));
  }

  /**
   * An operator replays the dead job: it is queued again with a fresh attempt budget that starts
   * after its last attempt. The last error stays visible until a new attempt reports.
   */
  Decision replay() {
    if (status != DEAD) {
      return Decision.ignored("only a DEAD job can be replayed; this one is %s", status);
    }
    return moveTo(
        QUEUED,
        Cause.OPERATOR,
        d -> d.budgetStart(attempts + 1).finishedAt(null).nextAttemptAt(null).discardedAt(null));
  }

  /** An operator discarded the dead job's dead letter: the job stays DEAD, marked as discarded. */
  Decision discard(Instant at) {
    if (status != DEAD) {
      return Decision.ignored("only a DEAD job can be discarded; this one is %s", status);
    }
    if (discardedAt != null) {
      return Decision.ignored("it was already discarded at %s", discardedAt);
    }
    return Decision.applied(draft().discardedAt(at).build());
  }

  private Decision decide(JobEvent event) {
    if (status.isFinal()) {
      return Decision.ignored("the job is %s, which is final", status);
    }
    if (event.attempt() < 1) {
      return Decision.ignored("attempt %d is invalid: attempts count from 1", event.attempt());
    }
    if (event.attempt() < budgetStart) {
      return Decision.ignored(
          "attempt %d is from before the replay (the budget starts at %d)",
          event.attempt(), budgetStart);
    }
    if (event.attempt() < attempts) {
      return Decision.ignored(
          "attempt %d is older than the current attempt %d", event.attempt(), attempts);
    }
    return switch (event) {
      case JobEvent.Started e ->
          e.attempt() > attempts
              ? startAttempt(e.attempt(), e.at(), e.worker())
              : Decision.ignored("attempt %d has already started", e.attempt());
      case JobEvent.Progress e ->
          e.attempt() == attempts && status == RUNNING
              ? Decision.applied(withProgress(e))
              : Decision.ignored("progress counts only while its attempt is running");
      case JobEvent.Succeeded e ->
          running(e, e.startedAt() != null ? e.startedAt() : e.at()).then(job -> job.succeed(e));
      case JobEvent.RetryScheduled e -> running(e, e.at()).then(job -> job.scheduleRetry(e));
      case JobEvent.Failed e -> running(e, e.at()).then(job -> job.fail(e));
    };
  }

  /**
   * This job with the event's attempt running. When the event is about a later attempt, its {@code
   * Started} has not arrived yet: apply the implied start, which began no later than {@code
   * startedAt}.
   */
  private Decision running(JobEvent event, Instant startedAt) {
    return event.attempt() > attempts
        ? startAttempt(event.attempt(), startedAt, event.worker())
        : Decision.applied(this);
  }

  private Decision startAttempt(int attempt, Instant at, String worker) {
    // A later attempt proves that a running earlier one ended in a retry whose event is late.
    Decision earlierAttemptEnded =
        status == RUNNING ? moveTo(RETRY_SCHEDULED, Cause.WORKER, d -> d) : Decision.applied(this);
    return earlierAttemptEnded.then(
        job ->
            job.moveTo(
                RUNNING,
                Cause.WORKER,
                d ->
                    d.attempts(attempt)
                        .firstStartedAt(at)
                        .attemptStartedAt(at)
                        .nextAttemptAt(null)
                        .bytes(0L)
                        .totalBytes(null)
                        .worker(worker)));
  }

  private Job withProgress(JobEvent.Progress e) {
    long done = bytes == null ? e.bytes() : Math.max(bytes, e.bytes());
    Long total = e.totalBytes() != null ? e.totalBytes() : totalBytes;
    return draft().bytes(done).totalBytes(total).build();
  }

  private Decision succeed(JobEvent.Succeeded e) {
    return moveTo(
        SUCCEEDED,
        Cause.WORKER,
        d ->
            d.bytes(e.bytes())
                .totalBytes(e.bytes())
                .sha256(e.sha256())
                .contentType(e.contentType())
                .storageKey(e.storageKey())
                .finishedAt(e.at())
                .nextAttemptAt(null)
                .worker(e.worker()));
  }

  private Decision scheduleRetry(JobEvent.RetryScheduled e) {
    return moveTo(
        RETRY_SCHEDULED,
        Cause.WORKER,
        d -> d.lastError(e.failure()).nextAttemptAt(e.nextAttemptAt()).worker(e.worker()));
  }

  private Decision fail(JobEvent.Failed e) {
    return moveTo(
        DEAD,
        Cause.WORKER,
        d -> d.lastError(e.failure()).finishedAt(e.at()).nextAttemptAt(null).worker(e.worker()));
  }

  private Decision moveTo(JobStatus target, Cause cause, UnaryOperator<Draft> changes) {
    if (!JobTransitions.allowed(status, target, cause)) {
      return Decision.ignored("%s -> %s is not an allowed transition", status, target);
    }
    return Decision.applied(changes.apply(draft().status(target)).build());
  }

  Draft draft() {
    return new Draft(this);
  }

  /** A mutable copy, to build the next state of a job (and test fixtures). */
  static final class Draft {
    private final UUID id;
    private final String url;
    private final String expectedSha256;
    private final String filename;
    private final String owner;
    private final Instant createdAt;
    private JobStatus status;
    private int attempts;
    private Instant startedAt;
    private Instant attemptStartedAt;
    private Instant finishedAt;
    private Instant nextAttemptAt;
    private Long bytes;
    private Long totalBytes;
    private String sha256;
    private String contentType;
    private String storageKey;
    private String worker;
    private Failure lastError;
    private int budgetStart;
    private Instant discardedAt;

    private Draft(Job job) {
      id = job.id;
      url = job.url;
      expectedSha256 = job.expectedSha256;
      filename = job.filename;
      owner = job.owner;
      createdAt = job.createdAt;
      status = job.status;
      attempts = job.attempts;
      startedAt = job.startedAt;
      attemptStartedAt = job.attemptStartedAt;
      finishedAt = job.finishedAt;
      nextAttemptAt = job.nextAttemptAt;
      bytes = job.bytes;
      totalBytes = job.totalBytes;
      sha256 = job.sha256;
      contentType = job.contentType;
      storageKey = job.storageKey;
      worker = job.worker;
      lastError = job.lastError;
      budgetStart = job.budgetStart;
      discardedAt = job.discardedAt;
    }

    Draft status(JobStatus value) {
      status = value;
      return this;
    }

    Draft attempts(int value) {
      attempts = value;
      return this;
    }

    /** Sets when the first attempt started, unless that is already known. */
    Draft firstStartedAt(Instant value) {
      if (startedAt == null) {
        startedAt = value;
      }
      return this;
    }

    Draft attemptStartedAt(Instant value) {
      attemptStartedAt = value;
      return this;
    }

    Draft finishedAt(Instant value) {
      finishedAt = value;
      return this;
    }

    Draft nextAttemptAt(Instant value) {
      nextAttemptAt = value;
      return this;
    }

    Draft bytes(Long value) {
      bytes = value;
      return this;
    }

    Draft totalBytes(Long value) {
      totalBytes = value;
      return this;
    }

    Draft sha256(String value) {
      sha256 = value;
      return this;
    }

    Draft contentType(String value) {
      contentType = value;
      return this;
    }

    Draft storageKey(String value) {
      storageKey = value;
      return this;
    }

    Draft worker(String value) {
      worker = value;
      return this;
    }

    Draft lastError(Failure value) {
      lastError = value;
      return this;
    }

    Draft budgetStart(int value) {
      budgetStart = value;
      return this;
    }

    Draft discardedAt(Instant value) {
      discardedAt = value;
      return this;
    }

    Job build() {
      return new Job(
          id,
          url,
          expectedSha256,
          filename,
          owner,
          createdAt,
          status,
          attempts,
          startedAt,
          attemptStartedAt,
          finishedAt,
          nextAttemptAt,
          bytes,
          totalBytes,
          sha256,
          contentType,
          storageKey,
          worker,
          lastError,
          budgetStart,
          discardedAt);
    }
  }
}
