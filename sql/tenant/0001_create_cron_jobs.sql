-- The single source of truth for every schedule of a tenant.
create table cron_jobs (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(name) between 1 and 200),
  description text,
  cron_expression text,
  run_at timestamptz,
  timezone text not null default 'UTC',
  job_type text not null default 'custom',
  handler text not null,
  configuration jsonb not null default '{}',
  source_type text not null default 'manual',
  source_id text,
  source_name text,
  store_id uuid,
  owner_id text,
  is_active boolean not null default true,
  is_paused boolean not null default false,
  is_system boolean not null default false,
  catchup_policy text not null default 'latest'
    check (catchup_policy in ('latest', 'all', 'none')),
  catchup_grace_ms integer not null default 300000 check (catchup_grace_ms >= 0),
  overlap_policy text not null default 'skip'
    check (overlap_policy in ('skip', 'allow')),
  timeout_ms integer not null default 3600000 check (timeout_ms > 0),
  max_retries integer not null default 3 check (max_retries between 0 and 100),
  retry_delay_ms integer not null default 600000 check (retry_delay_ms >= 0),
  last_run_at timestamptz,
  next_run_at timestamptz,
  run_count integer not null default 0,
  success_count integer not null default 0,
  failure_count integer not null default 0,
  consecutive_failures integer not null default 0,
  last_status text,
  last_error text,
  last_duration_ms integer,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cron_jobs_one_schedule check ((cron_expression is null) <> (run_at is null))
);

-- "What is due" is one range scan.
create index cron_jobs_due on cron_jobs (next_run_at)
  where is_active and not is_paused and next_run_at is not null;

create index cron_jobs_source on cron_jobs (source_type, source_id);
create index cron_jobs_owner on cron_jobs (owner_id) where owner_id is not null;
