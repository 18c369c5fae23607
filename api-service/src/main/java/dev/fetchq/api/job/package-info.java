/**
 * Download jobs: the {@code Job} aggregate with its allowed-transition table, the HTTP API ({@code
 * POST /jobs}, {@code GET /jobs}, {@code GET /jobs/{id}}, {@code POST /jobs/{id}/cancel} and its
 * alias {@code DELETE /jobs/{id}}, {@code GET /jobs/{id}/content}), the projection of worker events
 * into job rows and attempt history, and the operator's replay and discard of dead jobs. A job
 * belongs to the API key that submitted it: a client key sees and cancels only its own jobs (404
 * for others'), an admin key all. {@code POST /jobs} honours an {@code Idempotency-Key} per owner.
 *
 * <p>API for other features: {@link dev.fetchq.api.job.JobProjection} (events), {@link
 * dev.fetchq.api.job.JobRecovery} and {@link dev.fetchq.api.job.JobState} (dead-letter admin).
 * Everything else is internal.
 */
package dev.fetchq.api.job;
