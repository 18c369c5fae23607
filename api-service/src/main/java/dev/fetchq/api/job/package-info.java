/**
 * Download jobs: the {@code Job} aggregate with its allowed-transition table, the HTTP API ({@code
 * POST /jobs}, {@code GET /jobs}, {@code GET /jobs/{id}}, {@code GET /jobs/{id}/content}) and the
 * projection of worker events into job rows.
 *
 * <p>API for other features: {@link dev.fetchq.api.job.JobProjection}. Everything else is internal.
 */
package dev.fetchq.api.job;
