package dev.fetchq.worker.job;

import dev.fetchq.model.Headers;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * What a job message keeps when the worker publishes it again (to a retry tier or the dead-letter
 * queue): the same body and properties, {@code messageId} = job id, persistent. Headers of earlier
 * broker dead-lettering and of earlier failures are dropped: they would describe something else,
 * and RabbitMQ 3.x and 4.x treat a client-sent {@code x-death} differently. Everything else,
 * including {@link Headers#BUDGET_START}, travels on.
 */
final class JobRepublication {

  private JobRepublication() {}

  /** Fresh properties for republishing {@code delivery}, its attempt header already set. */
  static MessageProperties properties(JobDelivery delivery, int attempt) {
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
    properties.setHeader(Headers.ATTEMPT, attempt);
    return properties;
  }

  static Message message(JobDelivery delivery, MessageProperties properties) {
    return new Message(delivery.message().getBody(), properties);
  }

  static boolean isStale(String header) {
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
