package dev.fetchq.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * What a worker reports about one attempt of one job. The api-service projects these into the job
 * row.
 *
 * <p>Delivery is at-least-once and events of one job may arrive out of order, so every event names
 * the job and the attempt it belongs to: the projection ignores anything older than what it already
 * knows.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = JobEvent.Started.class, name = "started"),
  @JsonSubTypes.Type(value = JobEvent.Progress.class, name = "progress"),
  @JsonSubTypes.Type(value = JobEvent.Succeeded.class, name = "succeeded"),
  @JsonSubTypes.Type(value = JobEvent.RetryScheduled.class, name = "retry-scheduled"),
  @JsonSubTypes.Type(value = JobEvent.Failed.class, name = "failed"),
})
public sealed interface JobEvent {

  /** The job this event is about. */
  UUID jobId();

  /** The attempt (1-based) this event is about. */
  int attempt();

  /** The worker that produced the event. */
  String worker();

  /** When the worker observed what the event reports. */
  Instant at();

  /** The worker took the job and is about to contact the origin. */
  record Started(UUID jobId, int attempt, String worker, Instant at) implements JobEvent {}

  /**
   * Bytes stored so far; sent at most every few seconds for long downloads.
   *
   * @param totalBytes the expected size when the origin announced one, otherwise {@code null}
   */
  record Progress(UUID jobId, int attempt, String worker, Instant at, long bytes, Long totalBytes)
      implements JobEvent {}

  /**
   * The file is stored and verified.
   *
   * @param startedAt when this attempt started, so the projection is complete even if Started was
   *     lost
   * @param storageKey where the file lies, relative to the storage root
   */
  record Succeeded(
      UUID jobId,
      int attempt,
      String worker,
      Instant at,
      Instant startedAt,
      long bytes,
      String sha256,
      String contentType,
      String storageKey)
      implements JobEvent {}

  /**
   * The attempt failed transiently and the job will be delivered again at {@code nextAttemptAt}.
   *
   * @param nextAttempt the attempt number the retry will carry
   */
  record RetryScheduled(
      UUID jobId,
      int attempt,
      String worker,
      Instant at,
      Failure failure,
      int nextAttempt,
      Instant nextAttemptAt)
      implements JobEvent {}

  /**
   * The job failed for good: a permanent failure or its last attempt. It is in the dead-letter
   * queue.
   */
  record Failed(UUID jobId, int attempt, String worker, Instant at, Failure failure)
      implements JobEvent {}
}
