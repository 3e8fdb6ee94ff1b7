-- A role that connects for one user (setting `scheduler.owner_id`) sees and changes only that
-- user's schedules. The table owner (the scheduler itself) is not subject to these policies;
-- application roles are.
alter table cron_jobs enable row level security;
alter table cron_job_executions enable row level security;

create policy cron_jobs_owner_isolation on cron_jobs
  using (owner_id = current_setting('scheduler.owner_id', true))
  with check (owner_id = current_setting('scheduler.owner_id', true));

create policy cron_job_executions_owner_isolation on cron_job_executions
  using (owner_id = current_setting('scheduler.owner_id', true))
  with check (owner_id = current_setting('scheduler.owner_id', true));
