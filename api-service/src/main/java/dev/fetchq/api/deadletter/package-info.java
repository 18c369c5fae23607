/**
 * The dead-letter admin API: list what is in {@link dev.fetchq.model.Topology#DEAD_LETTER_QUEUE}
 * without consuming it, replay dead jobs from it, and discard dead letters. Operators only ({@link
 * dev.fetchq.api.security.AdminOnly}). No API for other features.
 *
 * <p>How the queue is read without losing anything, and why it survives RabbitMQ 4.x delivery
 * limits, is explained on {@code DeadLetterSession}.
 */
package dev.fetchq.api.deadletter;
