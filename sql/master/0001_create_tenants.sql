-- Where each tenant's schedules live. A tenant with neither database_url nor database_url_env
-- lives in the master database itself; schema_name puts it in its own schema there or in its
-- own database.
create table tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique
    check (slug ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name text not null,
  database_url text,
  database_url_env text
    check (database_url_env ~ '^[A-Za-z_][A-Za-z0-9_]*$'),
  schema_name text
    check (schema_name ~ '^[a-z_][a-z0-9_]{0,62}$'),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tenants_one_location check (database_url is null or database_url_env is null)
);
