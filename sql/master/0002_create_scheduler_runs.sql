-- One row per `unified-scheduler run`: what "since the last tick" and the dead-man check read.
create table scheduler_runs (
  id uuid primary key default gen_random_uuid(),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  clock_at timestamptz not null,
  host text not null,
  pid integer not null,
  arguments jsonb not null default '{}',
  status text not null default 'running'
    check (status in ('running', 'succeeded', 'failed', 'interrupted')),
  counts jsonb not null default '{}',
  tenants_total integer not null default 0,
  tenants_failed text[] not null default '{}'
);

create index scheduler_runs_started_at on scheduler_runs (started_at desc);
