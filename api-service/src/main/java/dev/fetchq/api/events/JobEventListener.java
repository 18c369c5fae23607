package dev.fetchq.api.events;

import com.rabbitmq.client.Channel;
import dev.fetchq.api.job.JobProjection;
import dev.fetchq.api.job.JobProjection.Delivered;
import dev.fetchq.model.JobEvent;
import dev.fetchq.model.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/**
 * Feeds worker events from {@link Topology#EVENTS_QUEUE} to the {@link JobProjection}, a batch at a
 * time ({@link JobEventsConfiguration}): the readable events of a batch are applied in one
 * transaction, and acked once it committed.
 *
 * <p>Nothing is requeued. A message that cannot be read, or is not a complete event, is rejected on
 * its own and dead-letters to {@link Topology#DEAD_EVENTS_QUEUE}; the rest of its batch is applied.
 * When a batch fails for another reason than an unreachable database, its events are applied one by
 * one, so that only the event that fails is dead-lettered. An unreachable database is waited out,
 * with backoff, and after {@link EventsProperties.Retry#timeout()} the batch is dead-lettered.
 *
 * <p>Acks are manual: every message of a batch is acked or rejected before the next batch.
 */
@Component
class JobEventListener {

  static final String ID = "fetchq-job-events";

  private static final Logger log = LoggerFactory.getLogger(JobEventListener.class);
  private static final String TRACEPARENT = "traceparent";

  private final JobProjection projection;
  private final MessageConverter converter;
  private final DatabaseOutages outages;

  JobEventListener(
      JobProjection projection, MessageConverter converter, EventsProperties properties) {
    this.projection = projection;
    this.converter = converter;
    this.outages = new DatabaseOutages(properties.retry());
  }

  /** One event of a batch, and the delivery tag that settles its message. */
  private record Received(Delivered delivered, long tag) {}

  @RabbitListener(
      id = ID,
      queues = Topology.EVENTS_QUEUE,
      containerFactory = JobEventsConfiguration.CONTAINER_FACTORY)
  void on(List<Message> messages, Channel channel) throws IOException {
    var readable = new ArrayList<Received>(messages.size());
    for (Message message : messages) {
      try {
        readable.add(new Received(read(message), message.getMessageProperties().getDeliveryTag()));
      } catch (RuntimeException e) {
        // Unreadable (MessageConversionException), however it fails: never left unsettled.
        reject(channel, message, e);
      }
    }
    if (readable.isEmpty()) {
      return;
    }
    try {
      project(readable.stream().map(Received::delivered).toList());
    } catch (RuntimeException e) {
      if (DatabaseOutages.isOutage(e)) {
        log.warn(
            "Dead-lettered {} events: the database stayed unreachable: {}",
            readable.size(),
            e.toString());
        for (Received received : readable) {
          channel.basicNack(received.tag(), false, false);
        }
      } else {
        oneByOne(readable, channel);
      }
      return;
    }
    // Every earlier message of this channel is settled, and the rejected ones are no longer
    // outstanding: one ack covers the batch.
    channel.basicAck(readable.getLast().tag(), true);
  }

  /** Finds the event that fails the batch: only it is dead-lettered. */
  private void oneByOne(List<Received> batch, Channel channel) throws IOException {
    for (Received received : batch) {
      try {
        project(List.of(received.delivered()));
        channel.basicAck(received.tag(), false);
      } catch (RuntimeException e) {
        log.warn(
            "Dead-lettered a {} event of job {}: its projection failed",
            received.delivered().event().getClass().getSimpleName(),
            received.delivered().event().jobId(),
            e);
        channel.basicNack(received.tag(), false, false);
      }
    }
  }

  private void project(List<Delivered> batch) {
    outages.waitOut(() -> projection.applyAll(batch));
  }

  /**
   * The event in the message, read as the listener container would for a {@code JobEvent}
   * parameter.
   *
   * @throws MessageConversionException when the message is no complete event
   */
  private Delivered read(Message message) {
    message.getMessageProperties().setInferredArgumentType(JobEvent.class);
    Object payload = converter.fromMessage(message);
    if (!(payload instanceof JobEvent event)) {
      throw new MessageConversionException(
          "Not an event: " + (payload == null ? null : payload.getClass().getSimpleName()));
    }
    if (event.jobId() == null || event.attempt() < 1 || event.at() == null) {
      throw new MessageConversionException(
          "Malformed event (needs jobId, attempt >= 1 and at): " + event);
    }
    return new Delivered(event, traceOf(message));
  }

  private static void reject(Channel channel, Message message, Exception why) throws IOException {
    log.warn(
        "Dead-lettered event message {}: {}",
        message.getMessageProperties().getMessageId(),
        why.getMessage());
    channel.basicNack(message.getMessageProperties().getDeliveryTag(), false, false);
  }

  /**
   * The worker's trace as log context ({@code traceId}, {@code spanId}, as the tracer puts them in
   * the MDC), read from the W3C {@code traceparent} header the worker's publish wrote. Log lines
   * about the event then belong to the worker's trace, without the cost of an observation (a span)
   * per event.
   */
  static Map<String, String> traceOf(Message message) {
    if (!(message.getMessageProperties().getHeader(TRACEPARENT) instanceof String traceparent)) {
      return Map.of();
    }
    // version-traceid-parentid-flags: 00-<32 hex>-<16 hex>-<2 hex>
    String[] parts = traceparent.split("-");
    if (parts.length < 4
        || parts[1].length() != 32
        || parts[2].length() != 16
        || !isHex(parts[1])
        || !isHex(parts[2])) {
      return Map.of();
    }
    return Map.of("traceId", parts[1], "spanId", parts[2]);
  }

  private static boolean isHex(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (!HexFormat.isHexDigit(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
