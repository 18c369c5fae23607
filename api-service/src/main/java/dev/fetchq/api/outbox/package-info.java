/**
 * The transactional outbox and its relay to RabbitMQ. API for other features: {@link
 * dev.fetchq.api.outbox.Outbox}.
 */
package dev.fetchq.api.outbox;
