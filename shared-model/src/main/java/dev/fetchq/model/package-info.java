/**
 * The contracts between fetchq's api-service and download-worker: the job command, the worker's
 * events, the broker topology and the header names. Plain Java records and Jackson annotations
 * only, so that both sides (and any other client) can depend on it without pulling in a framework.
 *
 * <p>The JSON produced from these types is a wire format: contract tests pin it, and a change that
 * breaks it needs a new queue version in {@link dev.fetchq.model.Topology}.
 */
package dev.fetchq.model;
