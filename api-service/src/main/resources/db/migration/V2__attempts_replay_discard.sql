-- Replay from the dead-letter queue grants a fresh attempt budget. Attempt numbers keep growing (events
-- are ordered by them), so the budget is where it starts: 1, or the attempt after the last one.
alter table job add column budget_start integer not null default 1;
alter table job add constraint job_budget_start_positive check (budget_start >= 1);

-- When an operator discarded the job's dead letter (the job stays DEAD).
alter table job add column discarded_at timestamptz;

-- One row per attempt of a job, projected from the worker's events in the same transaction as the job
-- row. Written by upsert that only fills fields (events arrive duplicated and out of order): a later
-- event never clears what an earlier one set, and the first final outcome of an attempt sticks.
create table job_attempt (
    job_id        uuid        not null references job (id) on delete cascade,
    attempt       integer     not null,
    worker        text,
    started_at    timestamptz,
    finished_at   timestamptz,
    outcome       text        not null,
    http_status   integer,
    error_reason  text,
    error_message text,
    bytes         bigint,
    primary key (job_id, attempt),
    constraint job_attempt_positive check (attempt >= 1),
    constraint job_attempt_outcome_known check (outcome in
        ('RUNNING', 'SUCCEEDED', 'RETRY_SCHEDULED', 'FAILED', 'CANCELLED'))
);
