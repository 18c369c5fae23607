-- The fetchq_jobs_state gauge counts the jobs that are not final, per status, with one grouped query:
--   select status, count(*) from job where status in ('QUEUED', 'RUNNING', 'RETRY_SCHEDULED') group by status
-- Final jobs accumulate for ever (fetchq_jobs_finished_total counts them); this index holds only the others,
-- so the count reads a small index however large the table grows. Keep its predicate and the query's alike.
create index job_active_status on job (status) where status in ('QUEUED', 'RUNNING', 'RETRY_SCHEDULED');
