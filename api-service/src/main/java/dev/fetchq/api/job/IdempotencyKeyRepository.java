package dev.fetchq.api.job;

import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Idempotency keys of {@code POST /jobs} in PostgreSQL, per owner. */
@Repository
class IdempotencyKeyRepository {

  private final JdbcClient jdbc;

  IdempotencyKeyRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** What a key already stands for. */
  record Used(UUID jobId, String requestSha256) {}

  /**
   * Claims the key for a new job, in the caller's transaction: a row of the same key older than
   * {@code expiredBefore} is replaced. When another transaction holds or is writing the key, this
   * waits for it (the primary key serialises the two) and then answers what it stored.
   *
   * @return empty when the key is now this job's; otherwise what the key was used for
   */
  Optional<Used> claim(
      String owner,
      IdempotencyKey key,
      String requestSha256,
      UUID jobId,
      Instant createdAt,
      Instant expiredBefore) {
    jdbc.sql(
            """
            delete from job_idempotency_key
            where owner = :owner and key = :key and created_at < :expiredBefore""")
        .param("owner", owner)
        .param("key", key.value())
        .param(
            "expiredBefore", expiredBefore.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
        .update();
    // A row that vanishes between the insert and the select (swept, or its job's transaction rolled
    // back) frees the key: try again.
    for (int round = 0; round < 3; round++) {
      int inserted =
          jdbc.sql(
                  """
                  insert into job_idempotency_key (owner, key, request_sha256, job_id, created_at)
                  values (:owner, :key, :requestSha256, :jobId, :createdAt)
                  on conflict (owner, key) do nothing""")
              .param("owner", owner)
              .param("key", key.value())
              .param("requestSha256", requestSha256)
              .param("jobId", jobId)
              .param("createdAt", createdAt.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
              .update();
      if (inserted == 1) {
        return Optional.empty();
      }
      Optional<Used> used =
          jdbc.sql(
                  """
                  select job_id, request_sha256 from job_idempotency_key
                  where owner = :owner and key = :key""")
              .param("owner", owner)
              .param("key", key.value())
              .query(
                  (rs, row) ->
                      new Used(rs.getObject("job_id", UUID.class), rs.getString("request_sha256")))
              .optional();
      if (used.isPresent()) {
        return used;
      }
    }
    throw new IllegalStateException("Idempotency key of " + owner + " neither free nor taken");
  }

  /** Deletes up to {@code limit} keys created before {@code cutoff}; returns how many. */
  int deleteExpired(Instant cutoff, int limit) {
    return jdbc.sql(
            """
            delete from job_idempotency_key where ctid = any(array(
              select ctid from job_idempotency_key where created_at < :cutoff limit :limit))""")
        .param("cutoff", cutoff.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
        .param("limit", limit)
        .update();
  }
}
