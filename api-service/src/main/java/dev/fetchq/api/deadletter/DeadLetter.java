package dev.fetchq.api.deadletter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.fetchq.model.FailureReason;
import java.time.Instant;
import java.util.UUID;

/**
 * One message in the dead-letter queue, as {@code GET /dead-letters} shows it.
 *
 * <p>A job that failed for good was put there by a worker, with {@code x-fetchq-failure-*} headers
 * that say why. A message the broker dead-lettered itself (unreadable, or redelivered past the work
 * queue's delivery limit) has only RabbitMQ's {@code x-death}: then {@code reason} is {@code
 * POISON} when the body cannot be read as a job, otherwise {@code UNKNOWN}, and {@code
 * deathReason}/{@code deathQueue} say what the broker saw.
 *
 * @param jobId the message id, which is the job id for every message fetchq wrote; {@code null}
 *     when the message has none
 * @param url the URL of the job, when the body could be read
 * @param host the URL's host, lower case
 * @param reason why it failed
 * @param httpStatus the origin's HTTP status, when it answered
 * @param message the failure in words
 * @param attempts the attempt that failed last
 * @param worker the worker that made it
 * @param failedAt when it failed (for broker dead letters: when the broker dead-lettered it)
 * @param deathReason for broker dead letters: RabbitMQ's reason ({@code rejected}, {@code
 *     delivery_limit}, {@code expired}, {@code maxlen})
 * @param deathQueue for broker dead letters: the queue it was dead-lettered from
 * @param deliveryCount how often the dead-letter queue delivered it already (RabbitMQ's {@code
 *     x-delivery-count}); every look at the queue may count, see {@code DeadLetterSession}
 * @param bodyExcerpt the start of the body, for messages that cannot be read as a job
 * @param jobStatus the job's status now; {@code null} when there is no such job
 */
record DeadLetter(
    String jobId,
    String url,
    String host,
    FailureReason reason,
    Integer httpStatus,
    String message,
    Integer attempts,
    String worker,
    Instant failedAt,
    String deathReason,
    String deathQueue,
    long deliveryCount,
    String bodyExcerpt,
    String jobStatus) {

  /**
   * Whether the message is not a readable job message (no job id, or a body that is not a job), so
   * it cannot be replayed.
   */
  @JsonIgnore
  boolean poison() {
    return job() == null;
  }

  /** The job this dead letter is about, when it is a readable job message. */
  @JsonIgnore
  UUID job() {
    if (jobId == null || url == null) {
      return null;
    }
    try {
      return UUID.fromString(jobId);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  DeadLetter withJobStatus(String status) {
    return new DeadLetter(
        jobId,
        url,
        host,
        reason,
        httpStatus,
        message,
        attempts,
        worker,
        failedAt,
        deathReason,
        deathQueue,
        deliveryCount,
        bodyExcerpt,
        status);
  }
}
