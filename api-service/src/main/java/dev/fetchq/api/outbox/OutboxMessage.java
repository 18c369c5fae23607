package dev.fetchq.api.outbox;

import java.time.Instant;
import java.util.Map;

/**
 * A message waiting in the outbox, exactly as it will be published.
 *
 * @param id the row id, {@code null} until stored
 * @param headers AMQP headers; JSON-representable values (strings, numbers, booleans) only
 */
record OutboxMessage(
    Long id,
    String exchange,
    String routingKey,
    String messageId,
    String contentType,
    String contentEncoding,
    Map<String, Object> headers,
    byte[] payload,
    Instant createdAt) {}
