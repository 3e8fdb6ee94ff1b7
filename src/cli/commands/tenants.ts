import type { Command } from 'commander'
import { addTenant, listTenants, removeTenant, type TenantRow } from '../../tenants.js'
import { withScheduler } from '../context.js'
import { camelize, printJson, printLine, printTable } from '../output.js'

/** A tenant as printed: where its data lives, never a password. */
function tenantView(tenant: TenantRow, label: (tenant: TenantRow) => string) {
  const { database_url: _url, ...rest } = tenant
  return { ...(camelize(rest) as object), location: label(tenant) }
}

export function registerTenants(program: Command): void {
  const tenants = program.command('tenants').description('list, add and remove tenants')

  tenants
    .command('list')
    .description('list the tenants')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler) => {
        const rows = await listTenants(scheduler)
        const label = (tenant: TenantRow) => tenantLocation(tenant, scheduler.master.label)
        if (options.json) return printJson(rows.map((row) => tenantView(row, label)))
        if (rows.length === 0) return printLine('no tenants')
        printTable(['SLUG', 'NAME', 'ACTIVE', 'LOCATION'], rows.map((row) => [row.slug, row.name, row.is_active ? 'yes' : 'no', label(row)]))
      })
    })

  tenants
    .command('add <slug>')
    .description('add a tenant and migrate its database')
    .option('--name <name>', 'a readable name (default: the slug)')
    .option('--database-url <url>', "the tenant's own database")
    .option('--database-url-env <var>', 'an environment variable holding the URL, so no secret sits in a table')
    .option('--schema <schema>', 'a schema of its own (in its database, or in the master)')
    .option('--no-migrate', 'do not apply the tenant migrations now')
    .option('--json', 'print JSON')
    .action(async (slug: string, options: { name?: string; databaseUrl?: string; databaseUrlEnv?: string; schema?: string; migrate: boolean; json?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler, { now, logger }) => {
        const tenant = await addTenant(scheduler, { slug, ...options }, { now })
        if (options.databaseUrl && URL.canParse(options.databaseUrl) && new URL(options.databaseUrl).password) {
          logger.warn({ tenant: tenant.slug }, 'the password of --database-url is stored in the tenants table; --database-url-env keeps it in the environment')
        }
        const view = tenantView(tenant, (row) => tenantLocation(row, scheduler.master.label))
        if (options.json) printJson(view)
        else printLine(`added tenant "${tenant.slug}" (${view.location})`)
      })
    })

  tenants
    .command('remove <slug>')
    .description('remove a tenant from the registry (its database is left untouched)')
    .option('--force', 'remove it even while it has active jobs')
    .action(async (slug: string, options: { force?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler) => {
        await removeTenant(scheduler, slug, options)
        printLine(`removed tenant "${slug}"`)
      })
    })
}

function tenantLocation(tenant: TenantRow, masterLabel: string): string {
  const where = tenant.database_url_env ? `$${tenant.database_url_env}`
    : tenant.database_url ? describe(tenant.database_url)
    : `master (${masterLabel})`
  return tenant.schema_name ? `${where} schema ${tenant.schema_name}` : where
}

function describe(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`
  } catch {
    return '(unparsable URL)'
  }
}
