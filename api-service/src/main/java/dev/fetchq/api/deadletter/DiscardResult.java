package dev.fetchq.api.deadletter;

import java.time.Instant;

/**
 * The answer of {@code DELETE /dead-letters/{id}}.
 *
 * @param discarded how many dead letters with this id were removed (duplicates happen)
 * @param jobStatus the job's status (it stays DEAD); {@code null} when there is no such job
 * @param discardedAt when the dead job was marked discarded; {@code null} unless the job is DEAD
 */
record DiscardResult(String jobId, int discarded, String jobStatus, Instant discardedAt) {}
