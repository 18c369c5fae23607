package dev.fetchq.api.job;

import dev.fetchq.model.FailureReason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The attempt history of jobs in PostgreSQL. */
@Repository
class JobAttemptRepository {

  /**
   * Merges what one event tells into the attempt's row. Events arrive duplicated and out of order,
   * so the merge only fills: the first ended outcome sticks (RUNNING never overwrites it), the
   * earliest start and the first end win, an error is kept whole from the first failure, bytes only
   * grow, and the worker that ended the attempt is named in preference to the one that started it
   * (a redelivered attempt may have moved to another worker).
   */
  private static final String MERGE =
      """
      insert into job_attempt (job_id, attempt, worker, started_at, finished_at, outcome,
        http_status, error_reason, error_message, bytes)
      select cast(:jobId as uuid), :attempt, :worker, cast(:startedAt as timestamptz),
        cast(:finishedAt as timestamptz), :outcome, :httpStatus, :errorReason, :errorMessage,
        :bytes
      where :mayCreate
        or exists (select 1 from job_attempt where job_id = :jobId and attempt = :attempt)
      on conflict (job_id, attempt) do update set
        worker = case when excluded.outcome <> 'RUNNING'
                      then coalesce(excluded.worker, job_attempt.worker)
                      else coalesce(job_attempt.worker, excluded.worker) end,
        started_at = least(job_attempt.started_at, excluded.started_at),
        finished_at = coalesce(job_attempt.finished_at, excluded.finished_at),
        outcome = case when job_attempt.outcome = 'RUNNING'
                       then excluded.outcome else job_attempt.outcome end,
        http_status = case when job_attempt.error_reason is null
                           then excluded.http_status else job_attempt.http_status end,
        error_reason = coalesce(job_attempt.error_reason, excluded.error_reason),
        error_message = case when job_attempt.error_reason is null
                             then excluded.error_message else job_attempt.error_message end,
        bytes = greatest(job_attempt.bytes, excluded.bytes)""";

  private final JdbcClient jdbc;
  private final NamedParameterJdbcOperations batches;

  JobAttemptRepository(JdbcClient jdbc, NamedParameterJdbcOperations batches) {
    this.jdbc = jdbc;
    this.batches = batches;
  }

  /**
   * What one event tells about one attempt of a job.
   *
   * @param mayCreate whether a missing row may be created; when {@code false} only an attempt that
   *     is already known is filled in (late events of a job that is final)
   */
  record Merge(UUID jobId, JobAttempt update, boolean mayCreate) {}

  /**
   * Merges {@code update} into the row of its attempt.
   *
   * @param mayCreate whether a missing row may be created; when {@code false} only an attempt that
   *     is already known is filled in (late events of a job that is final)
   */
  void record(UUID jobId, JobAttempt update, boolean mayCreate) {
    jdbc.sql(MERGE).paramSource(parameters(new Merge(jobId, update, mayCreate))).update();
  }

  /**
   * Each merge in turn, as one JDBC batch (one round trip). The statements run in list order, so a
   * merge sees the rows the merges before it wrote: the same result as {@link #record} one by one.
   */
  void recordAll(List<Merge> merges) {
    if (!merges.isEmpty()) {
      batches.batchUpdate(
          MERGE,
          merges.stream().map(JobAttemptRepository::parameters).toArray(SqlParameterSource[]::new));
    }
  }

  private static SqlParameterSource parameters(Merge merge) {
    JobAttempt update = merge.update();
    return new MapSqlParameterSource()
        .addValue("jobId", merge.jobId())
        .addValue("attempt", update.attempt())
        .addValue("worker", update.worker(), Types.VARCHAR)
        .addValue("startedAt", timestamp(update.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("finishedAt", timestamp(update.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("outcome", update.outcome().name())
        .addValue("httpStatus", update.httpStatus(), Types.INTEGER)
        .addValue(
            "errorReason",
            update.errorReason() == null ? null : update.errorReason().name(),
            Types.VARCHAR)
        .addValue("errorMessage", update.errorMessage(), Types.VARCHAR)
        .addValue("bytes", update.bytes(), Types.BIGINT)
        .addValue("mayCreate", merge.mayCreate());
  }

  /** The job's attempts, first to last. */
  List<JobAttempt> findByJob(UUID jobId) {
    return jdbc.sql(
            """
            select attempt, worker, started_at, finished_at, outcome, http_status, error_reason,
              error_message, bytes
            from job_attempt where job_id = :jobId order by attempt""")
        .param("jobId", jobId)
        .query(JobAttemptRepository::map)
        .list();
  }

  private static JobAttempt map(ResultSet rs, int row) throws SQLException {
    String reason = rs.getString("error_reason");
    return new JobAttempt(
        rs.getInt("attempt"),
        rs.getString("worker"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        AttemptOutcome.valueOf(rs.getString("outcome")),
        rs.getObject("http_status", Integer.class),
        reason == null ? null : FailureReason.valueOf(reason),
        rs.getString("error_message"),
        rs.getObject("bytes", Long.class));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
