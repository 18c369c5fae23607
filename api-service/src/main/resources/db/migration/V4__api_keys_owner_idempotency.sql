-- API keys created through the admin API (POST /admin/api-keys). Keys given by configuration are never
-- stored here. Only the SHA-256 of a key is kept: keys are 256 random bits, so no dictionary or table can
-- reverse the digest, and a request finds its key with one index lookup (a salted, slow password hash
-- would need neither and would make every request pay for it).
create table api_key (
    name         text        primary key,
    role         text        not null,
    sha256       text        not null unique,
    created_at   timestamptz not null,
    created_by   text        not null,
    last_used_at timestamptz,
    constraint api_key_name_format check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    constraint api_key_role_known check (role in ('client', 'admin')),
    constraint api_key_sha256_hex check (sha256 ~ '^[0-9a-f]{64}$')
);

-- Who submitted the job: the name of the API key. A client key sees and cancels only its own jobs, an
-- admin key every job. Jobs submitted before API keys existed have none, and only admin keys see them.
alter table job add column owner text;

-- GET /jobs with a client key: that owner's jobs, newest first.
create index job_owner_id on job (owner, id);

-- Idempotency-Key of POST /jobs, per owner: the same key with the same request returns the job it
-- created, even for requests that race (the primary key serialises them: the second waits for the first
-- to commit, then finds its row). request_sha256 is the SHA-256 of the canonical request, to refuse a
-- key reused for a different request. Rows older than fetchq.idempotency.retention no longer count and
-- are deleted lazily. The job reference is checked at commit, as the key row is written before its job.
create table job_idempotency_key (
    owner          text        not null,
    key            text        not null,
    request_sha256 text        not null,
    job_id         uuid        not null references job (id) on delete cascade deferrable initially deferred,
    created_at     timestamptz not null,
    primary key (owner, key)
);

create index job_idempotency_key_created_at on job_idempotency_key (created_at);
