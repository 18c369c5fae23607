package dev.fetchq.api.job;

import dev.fetchq.api.outbox.Outbox;
import dev.fetchq.model.Failure;
import dev.fetchq.model.FailureReason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Job rows in PostgreSQL. */
@Repository
class JobRepository {

  private static final String COLUMNS =
      """
      id, url, expected_sha256, filename, owner, created_at, status, attempts, started_at,
      attempt_started_at, finished_at, next_attempt_at, bytes, total_bytes, sha256, content_type,
      storage_key, worker, last_error_reason, last_error_http_status, last_error_message,
      budget_start, discarded_at""";

  /** Matches the predicate of the partial index {@code job_active_status}, so that it is used. */
  static final String COUNT_ACTIVE =
      """
      select status, count(*) as jobs from job
      where status in ('QUEUED', 'RUNNING', 'RETRY_SCHEDULED') group by status""";

  private static final String UPDATE =
      """
      update job set status = :status, attempts = :attempts, started_at = :startedAt,
        attempt_started_at = :attemptStartedAt, finished_at = :finishedAt,
        next_attempt_at = :nextAttemptAt, bytes = :bytes, total_bytes = :totalBytes,
        sha256 = :sha256, content_type = :contentType, storage_key = :storageKey,
        worker = :worker, last_error_reason = :lastErrorReason,
        last_error_http_status = :lastErrorHttpStatus, last_error_message = :lastErrorMessage,
        budget_start = :budgetStart, discarded_at = :discardedAt
      where id = :id""";

  private final JdbcClient jdbc;
  private final NamedParameterJdbcOperations batches;

  JobRepository(JdbcClient jdbc, NamedParameterJdbcOperations batches) {
    this.jdbc = jdbc;
    this.batches = batches;
  }

  /** The insert of a new job, to run together with its outbox message. */
  Outbox.Change insertion(Job job) {
    return new Outbox.Change(
        """
        insert into job (%s) values (:id, :url, :expectedSha256, :filename, :owner, :createdAt,
          :status, :attempts, :startedAt, :attemptStartedAt, :finishedAt, :nextAttemptAt,
          :bytes, :totalBytes, :sha256, :contentType, :storageKey, :worker, :lastErrorReason,
          :lastErrorHttpStatus, :lastErrorMessage, :budgetStart, :discardedAt)"""
            .formatted(COLUMNS),
        parameters(job));
  }

  /** Writes everything an event or a request can change. */
  void update(Job job) {
    jdbc.sql(UPDATE).paramSource(parameters(job)).update();
  }

  /** {@link #update} of each job, as one JDBC batch (one round trip). */
  void updateAll(Collection<Job> jobs) {
    if (!jobs.isEmpty()) {
      batches.batchUpdate(
          UPDATE, jobs.stream().map(JobRepository::parameters).toArray(SqlParameterSource[]::new));
    }
  }

  Optional<Job> findById(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from job where id = :id")
        .param("id", id)
        .query(JobRepository::map)
        .optional();
  }

  /** Loads a job and locks its row until the transaction ends, so events apply one at a time. */
  Optional<Job> findByIdForUpdate(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from job where id = :id for update")
        .param("id", id)
        .query(JobRepository::map)
        .optional();
  }

  /**
   * Loads these jobs and locks their rows until the transaction ends. The rows are locked in id
   * order, so two transactions that lock overlapping sets wait for each other instead of
   * deadlocking. Ids of unknown jobs are absent from the answer.
   */
  Map<UUID, Job> findAllByIdForUpdate(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    var found = new HashMap<UUID, Job>(ids.size() * 2);
    jdbc.sql("select " + COLUMNS + " from job where id = any(:ids) order by id for update")
        .param("ids", ids.toArray(UUID[]::new))
        .query(JobRepository::map)
        .list()
        .forEach(job -> found.put(job.id(), job));
    return found;
  }

  /**
   * Newest first.
   *
   * @param owner only jobs of this owner, or everyone's when {@code null}
   * @param status only jobs in this status, or all when {@code null}
   * @param before only jobs older than this id, or from the newest when {@code null}
   */
  List<Job> findPage(String owner, JobStatus status, UUID before, int limit) {
    var conditions = new ArrayList<String>();
    var parameters = new MapSqlParameterSource("limit", limit);
    if (owner != null) {
      conditions.add("owner = :owner");
      parameters.addValue("owner", owner);
    }
    if (status != null) {
      conditions.add("status = :status");
      parameters.addValue("status", status.name());
    }
    if (before != null) {
      conditions.add("id < :before");
      parameters.addValue("before", before);
    }
    String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    return jdbc.sql("select " + COLUMNS + " from job" + where + " order by id desc limit :limit")
        .paramSource(parameters)
        .query(JobRepository::map)
        .list();
  }

  /** Where each of these jobs stands, for the jobs that exist. */
  Map<UUID, JobState> findStates(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    var states = new HashMap<UUID, JobState>();
    jdbc.sql("select id, status, attempts, budget_start from job where id = any(:ids)")
        .param("ids", ids.toArray(UUID[]::new))
        .query(
            (rs, row) -> {
              var status = JobStatus.valueOf(rs.getString("status"));
              return new JobState(
                  rs.getObject("id", UUID.class),
                  status.name(),
                  status == JobStatus.DEAD,
                  status.isFinal(),
                  rs.getInt("attempts"),
                  rs.getInt("budget_start"));
            })
        .list()
        .forEach(state -> states.put(state.id(), state));
    return states;
  }

  /**
   * How many jobs are in each status that is not final; statuses without jobs are absent. One
   * grouped query, answered from the partial index {@code job_active_status} (V3).
   */
  Map<JobStatus, Long> countActive() {
    var counts = new EnumMap<JobStatus, Long>(JobStatus.class);
    jdbc.sql(COUNT_ACTIVE)
        .query(
            (ResultSet rs) -> {
              counts.put(JobStatus.valueOf(rs.getString("status")), rs.getLong("jobs"));
            });
    return counts;
  }

  private static MapSqlParameterSource parameters(Job job) {
    Failure error = job.lastError();
    return new MapSqlParameterSource()
        .addValue("id", job.id())
        .addValue("url", job.url())
        .addValue("expectedSha256", job.expectedSha256(), Types.VARCHAR)
        .addValue("filename", job.filename(), Types.VARCHAR)
        .addValue("owner", job.owner(), Types.VARCHAR)
        .addValue("createdAt", timestamp(job.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("status", job.status().name())
        .addValue("attempts", job.attempts())
        .addValue("startedAt", timestamp(job.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue(
            "attemptStartedAt", timestamp(job.attemptStartedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("finishedAt", timestamp(job.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("nextAttemptAt", timestamp(job.nextAttemptAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("bytes", job.bytes(), Types.BIGINT)
        .addValue("totalBytes", job.totalBytes(), Types.BIGINT)
        .addValue("sha256", job.sha256(), Types.VARCHAR)
        .addValue("contentType", job.contentType(), Types.VARCHAR)
        .addValue("storageKey", job.storageKey(), Types.VARCHAR)
        .addValue("worker", job.worker(), Types.VARCHAR)
        .addValue("lastErrorReason", error == null ? null : error.reason().name(), Types.VARCHAR)
        .addValue("lastErrorHttpStatus", error == null ? null : error.httpStatus(), Types.INTEGER)
        .addValue("lastErrorMessage", error == null ? null : error.message(), Types.VARCHAR)
        .addValue("budgetStart", job.budgetStart())
        .addValue("discardedAt", timestamp(job.discardedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
  }

  private static Job map(ResultSet rs, int row) throws SQLException {
    return new Job(
        rs.getObject("id", UUID.class),
        rs.getString("url"),
        rs.getString("expected_sha256"),
        rs.getString("filename"),
        rs.getString("owner"),
        instant(rs, "created_at"),
        JobStatus.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        instant(rs, "started_at"),
        instant(rs, "attempt_started_at"),
        instant(rs, "finished_at"),
        instant(rs, "next_attempt_at"),
        rs.getObject("bytes", Long.class),
        rs.getObject("total_bytes", Long.class),
        rs.getString("sha256"),
        rs.getString("content_type"),
        rs.getString("storage_key"),
        rs.getString("worker"),
        failure(rs),
        rs.getInt("budget_start"),
        instant(rs, "discarded_at"));
  }

  private static Failure failure(ResultSet rs) throws SQLException {
    String reason = rs.getString("last_error_reason");
    if (reason == null) {
      return null;
    }
    return new Failure(
        FailureReason.valueOf(reason),
        rs.getObject("last_error_http_status", Integer.class),
        rs.getString("last_error_message"));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
