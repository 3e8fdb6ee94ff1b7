-- One row per attempt, and one per slot that was passed over (skipped, missed).
create table cron_job_executions (
  id uuid primary key default gen_random_uuid(),
  job_id uuid not null references cron_jobs (id) on delete cascade,
  scheduled_for timestamptz not null,
  attempt integer not null default 1 check (attempt >= 1),
  trigger text not null
    check (trigger in ('schedule', 'catchup', 'retry', 'manual', 'legacy')),
  status text not null
    check (status in ('running', 'succeeded', 'failed', 'timed_out', 'cancelled',
                      'skipped', 'missed', 'abandoned')),
  -- Slots this row stands for besides its own (catch-up `latest`, overlap skips, `none`).
  covered_slots integer not null default 0 check (covered_slots >= 0),
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms integer,
  lateness_ms integer,
  timeout_at timestamptz,
  -- Set on a failed attempt that will be retried: when the next attempt of its slot is due.
  -- Cleared when that attempt is claimed.
  retry_at timestamptz,
  result jsonb,
  error text,
  runner text,
  run_id uuid,
  owner_id text,
  created_at timestamptz not null default now()
);

-- A scheduled slot runs once however many runners race for it.
create unique index cron_job_executions_slot
  on cron_job_executions (job_id, scheduled_for, attempt)
  where trigger in ('schedule', 'catchup', 'retry');

create index cron_job_executions_history on cron_job_executions (job_id, created_at desc);
create index cron_job_executions_retry_due on cron_job_executions (retry_at)
  where retry_at is not null;
create index cron_job_executions_running on cron_job_executions (job_id)
  where status = 'running';
create index cron_job_executions_finished on cron_job_executions (finished_at)
  where status <> 'running';
