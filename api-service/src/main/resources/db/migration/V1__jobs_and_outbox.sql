-- Jobs: one row per submitted download, projected from the worker's events.
-- Ids are UUIDv7, so id order is submission order ("newest first" = order by id desc).
create table job (
    id                     uuid        primary key,
    url                    text        not null,
    expected_sha256        text,
    filename               text,
    created_at             timestamptz not null,
    status                 text        not null,
    attempts               integer     not null default 0,
    started_at             timestamptz,
    attempt_started_at     timestamptz,
    finished_at            timestamptz,
    next_attempt_at        timestamptz,
    bytes                  bigint,
    total_bytes            bigint,
    sha256                 text,
    content_type           text,
    storage_key            text,
    worker                 text,
    last_error_reason      text,
    last_error_http_status integer,
    last_error_message     text,
    constraint job_status_known check (status in
        ('QUEUED', 'RUNNING', 'RETRY_SCHEDULED', 'SUCCEEDED', 'DEAD', 'CANCELLED')),
    constraint job_attempts_not_negative check (attempts >= 0)
);

-- GET /jobs?status=...: newest first within one status.
create index job_status_id on job (status, id);

-- Transactional outbox: messages written in the same transaction as the change they announce,
-- published by the relay with confirms and deleted once the broker has them.
create table outbox_message (
    id               bigint      generated always as identity primary key,
    exchange         text        not null,
    routing_key      text        not null,
    message_id       text        not null,
    content_type     text,
    content_encoding text,
    headers          jsonb       not null default '{}',
    payload          bytea       not null,
    created_at       timestamptz not null
);
