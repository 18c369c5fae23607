package dev.fetchq.worker.job;

import dev.fetchq.messaging.ConfirmedPublisher;
import dev.fetchq.model.Failure;
import dev.fetchq.model.Headers;
import dev.fetchq.model.Topology;
import java.time.Instant;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;

/**
 * Puts a finished-for-good job into the dead-letter queue ourselves, rather than rejecting it into
 * the queue's DLX, so that it carries headers a person (and the admin API) can act on.
 */
@Component
class DeadLetterPublisher {

  private final ConfirmedPublisher publisher;

  DeadLetterPublisher(ConfirmedPublisher publisher) {
    this.publisher = publisher;
  }

  /** Publishes the dead letter and returns once the broker confirmed it. */
  void publish(JobDelivery delivery, Failure failure, String worker, Instant failedAt) {
    publisher.publish(
        Topology.DEAD_LETTER_EXCHANGE,
        Topology.DEAD_JOBS_ROUTING_KEY,
        deadLetter(delivery, failure, worker, failedAt));
  }

  /**
   * The original body and properties with the failure explained in headers. Headers of earlier
   * broker dead-lettering and earlier failures are dropped: they would describe something else, and
   * RabbitMQ 3.x and 4.x treat a client-sent {@code x-death} differently.
   */
  static Message deadLetter(
      JobDelivery delivery, Failure failure, String worker, Instant failedAt) {
    MessageProperties original = delivery.message().getMessageProperties();
    var properties = new MessageProperties();
    properties.setMessageId(delivery.jobId().toString());
    properties.setContentType(original.getContentType());
    properties.setContentEncoding(original.getContentEncoding());
    properties.setCorrelationId(original.getCorrelationId());
    properties.setTimestamp(original.getTimestamp());
    properties.setAppId(original.getAppId());
    properties.setType(original.getType());
    properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    original
        .getHeaders()
        .forEach(
            (name, value) -> {
              if (!isStale(name)) {
                properties.setHeader(name, value);
              }
            });
    properties.setHeader(Headers.ATTEMPT, delivery.attempt());
    properties.setHeader(Headers.FAILURE_REASON, failure.reason().name());
    if (failure.httpStatus() != null) {
      properties.setHeader(Headers.FAILURE_HTTP_STATUS, failure.httpStatus());
    }
    properties.setHeader(Headers.FAILURE_MESSAGE, failure.message());
    properties.setHeader(Headers.FAILURE_WORKER, worker);
    properties.setHeader(Headers.FAILED_AT, failedAt.toString());
    return new Message(delivery.message().getBody(), properties);
  }

  private static boolean isStale(String header) {
    return header.equals("x-death")
        || header.startsWith("x-first-death-")
        || header.startsWith("x-last-death-")
        || header.equals("x-delivery-count")
        || header.equals(Headers.FAILURE_REASON)
        || header.equals(Headers.FAILURE_HTTP_STATUS)
        || header.equals(Headers.FAILURE_MESSAGE)
        || header.equals(Headers.FAILURE_WORKER)
        || header.equals(Headers.FAILED_AT);
  }
}
