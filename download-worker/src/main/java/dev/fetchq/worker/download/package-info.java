/**
 * Fetching: the pooled HTTP client, streaming a body into storage with its SHA-256 and size limit,
 * and classifying what went wrong into the contract's {@link dev.fetchq.model.FailureReason}.
 */
package dev.fetchq.worker.download;
