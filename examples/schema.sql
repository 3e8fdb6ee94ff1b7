-- The example application's tables, in a tenant's database (or, for a tenant with a schema of
-- its own, in that schema: run this with it first on the search_path). Safe to run again.

-- A shop of the tenant. Credits pay for its hosting (daily_cost) and for imports.
create table if not exists stores (
  id          uuid primary key default gen_random_uuid(),
  name        text not null,
  is_active   boolean not null default true,
  credits     numeric(12, 2) not null default 0 check (credits >= 0),
  daily_cost  numeric(12, 2) not null default 0 check (daily_cost >= 0),
  updated_at  timestamptz not null default now()
);

-- Every change of a store's credits. (store, reason, reference) is unique: a charge that is
-- retried finds its row and charges nothing. The daily charge's reference is the day, an
-- import's is the scheduler's idempotency key (tenant, job, slot).
create table if not exists credit_ledger (
  id          bigint generated always as identity primary key,
  store_id    uuid not null references stores (id) on delete cascade,
  amount      numeric(12, 2) not null,
  reason      text not null,
  reference   text not null,
  created_at  timestamptz not null default now(),
  unique (store_id, reason, reference)
);

-- Access tokens of the stores' connections to other services (a PIM, a marketplace, ...).
create table if not exists oauth_tokens (
  id             uuid primary key default gen_random_uuid(),
  store_id       uuid references stores (id) on delete cascade,
  provider       text not null,
  access_token   text not null,
  refresh_token  text not null,
  expires_at     timestamptz not null,
  refreshed_at   timestamptz,
  last_error     text,
  updated_at     timestamptz not null default now()
);
create index if not exists oauth_tokens_expires_at on oauth_tokens (expires_at);

-- Subscriptions billed by the subscription worker; the scheduler hands it the due ones.
create table if not exists subscriptions (
  id                 uuid primary key default gen_random_uuid(),
  user_id            text not null,
  plan               text not null,
  billing_interval   interval not null default '1 month',
  is_active          boolean not null default true,
  status             text not null default 'pending' check (status in ('pending', 'processed', 'failed')),
  next_billing_at    timestamptz not null,
  last_processed_at  timestamptz,
  last_error         text,
  updated_at         timestamptz not null default now()
);
create index if not exists subscriptions_due on subscriptions (next_billing_at) where is_active;

-- One row per import from the PIM, whatever its outcome, for the application's screens.
create table if not exists import_runs (
  id              uuid primary key default gen_random_uuid(),
  store_id        uuid not null references stores (id) on delete cascade,
  import_type     text not null,
  status          text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  filters         jsonb not null default '{}',
  options         jsonb not null default '{}',
  credit_cost     numeric(12, 2) not null,
  items_imported  integer not null default 0,
  scheduled_for   timestamptz not null,
  attempt         integer not null,
  error           text,
  started_at      timestamptz not null default now(),
  finished_at     timestamptz
);

-- What the imports brought in, one row per store, type and code (a product's identifier).
create table if not exists pim_items (
  store_id       uuid not null references stores (id) on delete cascade,
  import_type    text not null,
  code           text not null,
  data           jsonb not null,
  import_run_id  uuid not null references import_runs (id) on delete cascade,
  imported_at    timestamptz not null default now(),
  primary key (store_id, import_type, code)
);
