/**
 * fetchq api-service, packaged by feature. Each feature's internals are package-private; what
 * another feature may use is public and listed in the feature's package documentation.
 *
 * <ul>
 *   <li>{@code job}: the job aggregate, its HTTP API (cancel and idempotent submission included),
 *       the event projection with the attempt history, and the operator's replay and discard of
 *       dead jobs.
 *   <li>{@code deadletter}: the dead-letter admin API (list, replay, discard).
 *   <li>{@code security}: API keys: authentication of every request, roles (client, admin), and
 *       their management API.
 *   <li>{@code outbox}: the transactional outbox and its relay to RabbitMQ.
 *   <li>{@code events}: the RabbitMQ listener that feeds worker events to the projection.
 *   <li>{@code storage}: read access to the files workers store.
 *   <li>{@code web}: HTTP concerns shared by every endpoint (problem details, request limits).
 * </ul>
 */
package dev.fetchq.api;
