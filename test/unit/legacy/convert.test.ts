import { describe, expect, it } from 'vitest'
import { akeneoImportHandler, convertAkeneoSchedule, convertPluginCron, mapLegacyStatus, parseScheduleTime, type JobConversion } from '../../../src/legacy/convert.js'

const now = new Date('2026-03-07T12:00:00Z') // a Saturday
const context = { now, location: 'master' as const }

describe('parseScheduleTime', () => {
  it.each([
    ['09:30', { hour: 9, minute: 30 }, 'the usual HH:MM'],
    ['9:30', { hour: 9, minute: 30 }, 'a one-digit hour is still a time'],
    ['00:00', { hour: 0, minute: 0 }, 'midnight when it is written, and only then'],
    ['23:59', { hour: 23, minute: 59 }, 'the last minute of the day'],
    ['07:05:00', { hour: 7, minute: 5 }, 'as a time column prints it'],
    [' 18:45 ', { hour: 18, minute: 45 }, 'surrounding blanks'],
  ])('reads %j', (text, expected) => {
    expect(parseScheduleTime(text)).toEqual({ ok: true, value: expected })
  })

  it.each([
    ['25:00', /"25:00" is not a time of day/],
    ['24:00', /"24:00" is not a time of day/],
    ['12:60', /"12:60" is not a time of day/],
    ['9', /"9" is not HH:MM/],
    ['0930', /"0930" is not HH:MM/],
    ['9am', /"9am" is not HH:MM/],
    ['', /schedule_time is empty/],
    ['   ', /schedule_time is empty/],
    [null, /schedule_time is missing/],
    [undefined, /schedule_time is missing/],
    [930, /schedule_time 930 is not text/],
    ['09:00:30', /has seconds/],
  ])('refuses %j instead of guessing midnight', (text, reason) => {
    const result = parseScheduleTime(text)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toMatch(reason)
  })
})

const akeneoRow = {
  id: '7f1c2a9e-0000-4000-8000-000000000001',
  store_id: '11111111-1111-4111-8111-111111111111',
  import_type: 'products',
  schedule_type: 'daily',
  schedule_time: '09:30',
  filters: { family: 'shoes' },
  options: { locale: 'en_US' },
  credit_cost: 0.25,
  is_active: true,
  status: 'active',
  last_run: '2026-03-06T09:30:04.123+00:00',
  next_run: '2026-03-07T09:30:00+00:00',
  created_at: '2025-11-02T10:00:00+00:00',
  updated_at: '2026-03-06T09:30:05+00:00',
}

function converted(row: Record<string, unknown>): JobConversion {
  const result = convertAkeneoSchedule({ ...akeneoRow, ...row }, context)
  if (!result.ok) throw new Error(`expected a conversion, got: ${result.reason}`)
  return result.value
}

describe('convertAkeneoSchedule: schedules', () => {
  it.each([
    { why: 'daily -> M H * * *, UTC by default', row: { schedule_type: 'daily', schedule_time: '09:30' },
      cron: '30 9 * * *', tz: 'UTC', next: '2026-03-08T09:30:00.000Z' },
    { why: 'weekly -> Mondays, in the zone of options.timezone', row: { schedule_type: 'weekly', schedule_time: '23:05', options: { timezone: 'Europe/Berlin' } },
      cron: '5 23 * * 1', tz: 'Europe/Berlin', next: '2026-03-09T22:05:00.000Z' },
    { why: 'monthly -> the 1st; 00:00 written is midnight', row: { schedule_type: 'monthly', schedule_time: '00:00' },
      cron: '0 0 1 * *', tz: 'UTC', next: '2026-04-01T00:00:00.000Z' },
    { why: 'a timezone column wins over options.timezone', row: { schedule_time: '06:00', timezone: 'Asia/Tokyo', options: { timezone: 'Europe/Berlin' } },
      cron: '0 6 * * *', tz: 'Asia/Tokyo', next: '2026-03-07T21:00:00.000Z' },
    { why: 'HH:MM:00 as a time column prints it', row: { schedule_type: 'weekly', schedule_time: '07:15:00' },
      cron: '15 7 * * 1', tz: 'UTC', next: '2026-03-09T07:15:00.000Z' },
    { why: 'the next run is counted from now, not copied from a next_run in the past', row: { next_run: '2026-01-01T09:30:00Z' },
      cron: '30 9 * * *', tz: 'UTC', next: '2026-03-08T09:30:00.000Z' },
  ])('$why', ({ row, cron, tz, next }) => {
    const { job, schedule } = converted(row)
    expect(job).toMatchObject({ cron_expression: cron, run_at: null, timezone: tz })
    expect(job.next_run_at?.toISOString()).toBe(next)
    expect(schedule).toEqual({ kind: 'cron', expression: cron, timezone: tz })
  })

  it.each([
    { why: 'once -> a one-off at its next_run', row: { schedule_type: 'once', schedule_time: '14:00', next_run: '2026-03-10T14:00:00+00:00', last_run: null },
      runAt: '2026-03-10T14:00:00.000Z', next: '2026-03-10T14:00:00.000Z' },
    { why: 'once due but not run yet (next_run passed): due at once, as in the legacy scheduler', row: { schedule_type: 'once', next_run: '2026-03-05T08:00:00Z', last_run: null },
      runAt: '2026-03-05T08:00:00.000Z', next: '2026-03-05T08:00:00.000Z' },
    { why: 'once without next_run -> the next HH:MM in its zone (DST starts that night in New York)',
      row: { schedule_type: 'once', schedule_time: '06:15', next_run: null, last_run: null, options: { timezone: 'America/New_York' } },
      runAt: '2026-03-08T10:15:00.000Z', next: '2026-03-08T10:15:00.000Z' },
    { why: 'once that already ran (last_run, no next_run): kept, nothing left to run', row: { schedule_type: 'once', schedule_time: '08:00', next_run: null, last_run: '2026-03-01T08:00:00Z' },
      runAt: '2026-03-01T08:00:00.000Z', next: null },
    { why: 'once that ran at or after its next_run: nothing left to run', row: { schedule_type: 'once', next_run: '2026-03-01T08:00:00Z', last_run: '2026-03-01T08:00:05Z' },
      runAt: '2026-03-01T08:00:00.000Z', next: null },
    { why: 'once with next_run needs no schedule_time', row: { schedule_type: 'once', schedule_time: null, next_run: '2026-03-10T14:00:00Z', last_run: null },
      runAt: '2026-03-10T14:00:00.000Z', next: '2026-03-10T14:00:00.000Z' },
  ])('$why', ({ row, runAt, next }) => {
    const { job } = converted(row)
    expect(job.cron_expression).toBeNull()
    expect(job.run_at?.toISOString()).toBe(runAt)
    expect(job.next_run_at?.toISOString() ?? null).toBe(next)
  })

  it.each([
    { why: 'schedule_time 25:00', row: { schedule_time: '25:00' }, reason: /"25:00" is not a time of day/ },
    { why: 'schedule_time 9', row: { schedule_type: 'weekly', schedule_time: '9' }, reason: /"9" is not HH:MM/ },
    { why: 'schedule_time empty', row: { schedule_type: 'monthly', schedule_time: '' }, reason: /schedule_time is empty/ },
    { why: 'schedule_time NULL', row: { schedule_time: null }, reason: /schedule_time is missing/ },
    { why: 'once with neither next_run nor a time', row: { schedule_type: 'once', schedule_time: '', next_run: null, last_run: null }, reason: /schedule_time is empty/ },
    { why: 'an unknown schedule_type', row: { schedule_type: 'hourly' }, reason: /unknown schedule_type "hourly": expected daily, weekly, monthly or once/ },
    { why: 'schedule_type in another case', row: { schedule_type: 'Daily' }, reason: /unknown schedule_type "Daily"/ },
    { why: 'no schedule_type', row: { schedule_type: null }, reason: /schedule_type is missing/ },
    { why: 'a zone that does not exist', row: { options: { timezone: 'Mars/Olympus' } }, reason: /timezone "Mars\/Olympus" is not an IANA zone/ },
    { why: 'no import_type', row: { import_type: ' ' }, reason: /import_type is missing/ },
    { why: 'a store id that is not a UUID', row: { store_id: 'store-7' }, reason: /store_id "store-7" is not a UUID/ },
    { why: 'no id', row: { id: null }, reason: /no id/ },
  ])('leaves $why unmigrated with a reason, never midnight', ({ row, reason }) => {
    const result = convertAkeneoSchedule({ ...akeneoRow, ...row }, context)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toMatch(reason)
  })
})

describe('convertAkeneoSchedule: the job', () => {
  it('carries the handler, configuration, source and the legacy row', () => {
    const { job, from, to } = converted({})
    expect(job).toMatchObject({
      name: 'Akeneo products import 7f1c2a9e-0000-4000-8000-000000000001',
      handler: akeneoImportHandler,
      job_type: 'akeneo_import',
      configuration: { import_type: 'products', filters: { family: 'shoes' }, options: { locale: 'en_US' }, store_id: akeneoRow.store_id, credit_cost: 0.25 },
      source_type: 'integration', source_id: akeneoRow.id, source_name: 'akeneo', store_id: akeneoRow.store_id,
      is_active: true, is_paused: false, is_system: false, run_count: 0,
      metadata: { original_table: 'akeneo_schedules', legacy_id: akeneoRow.id, legacy_location: 'master', migrated_at: now.toISOString(), legacy_row: akeneoRow },
    })
    expect(job.last_run_at?.toISOString()).toBe('2026-03-06T09:30:04.123Z')
    expect(job.created_at.toISOString()).toBe('2025-11-02T10:00:00.000Z')
    expect(from).toBe('daily 09:30')
    expect(to).toBe('"30 9 * * *" (UTC)')
  })

  it.each([
    { row: { is_active: true, status: 'active' }, active: true, paused: false },
    { row: { is_active: true, status: 'paused' }, active: true, paused: true },
    { row: { is_active: false, status: 'active' }, active: false, paused: false },
    { row: { is_active: false, status: 'paused' }, active: false, paused: true },
    { row: { is_active: null, status: 'active' }, active: false, paused: false, why: 'the legacy scheduler ran only is_active = true' },
    { row: { is_active: true, status: 'error' }, active: true, paused: false },
  ])('is_active $row.is_active, status $row.status -> active $active, paused $paused', ({ row, active, paused }) => {
    expect(converted(row).job).toMatchObject({ is_active: active, is_paused: paused })
  })

  it('keeps filters and options empty objects when null, and a missing credit cost null', () => {
    expect(converted({ filters: null, options: null, credit_cost: null }).job.configuration).toMatchObject({ filters: {}, options: {}, credit_cost: null })
  })
})

const pluginRow = {
  plugin_id: '22222222-2222-4222-8222-222222222222',
  cron_name: 'sync-inventory',
  description: 'Pull stock levels',
  cron_schedule: '*/15 * * * *',
  timezone: 'UTC',
  handler_method: 'syncInventory',
  handler_code: 'module.exports = async () => fetch("http://evil")',
  handler_params: { batch: 50 },
  priority: 5,
  is_enabled: true,
  last_run_at: '2026-03-07T11:45:00+00:00',
  next_run_at: '2026-03-07T12:00:00+00:00',
  run_count: 120,
  success_count: 118,
  failure_count: 2,
  consecutive_failures: 0,
  last_status: 'success',
  last_error: null,
}

describe('convertPluginCron', () => {
  it('validates and carries the schedule, counters and status; handler_code only in metadata', () => {
    const result = convertPluginCron(pluginRow, { now, location: 'tenant' })
    if (!result.ok) throw new Error(result.reason)
    const { job } = result.value
    expect(job).toMatchObject({
      name: 'plugin 22222222-2222-4222-8222-222222222222: sync-inventory', description: 'Pull stock levels',
      cron_expression: '*/15 * * * *', timezone: 'UTC', handler: 'syncInventory', job_type: 'plugin_job',
      configuration: { plugin_id: pluginRow.plugin_id, handler_params: { batch: 50 }, priority: 5 },
      source_type: 'plugin', source_id: pluginRow.plugin_id, source_name: 'plugin',
      is_active: true, is_paused: false, run_count: 120, success_count: 118, failure_count: 2, consecutive_failures: 0,
      last_status: 'succeeded', last_error: null,
      metadata: { original_table: 'plugin_cron', legacy_id: `${pluginRow.plugin_id}/sync-inventory`, legacy_location: 'tenant' },
    })
    expect(job.next_run_at?.toISOString()).toBe('2026-03-07T12:15:00.000Z')
    expect(job.last_run_at?.toISOString()).toBe('2026-03-07T11:45:00.000Z')
    expect(JSON.stringify(job.configuration)).not.toContain('evil')
    expect((job.metadata.legacy_row as Record<string, unknown>).handler_code).toBe(pluginRow.handler_code)
  })

  it.each([
    { why: 'a zone of its own', row: { cron_schedule: '0 2 * * *', timezone: 'America/New_York' }, cron: '0 2 * * *', tz: 'America/New_York', next: '2026-03-08T07:00:00.000Z' },
    { why: 'no zone -> UTC', row: { cron_schedule: '@hourly', timezone: null }, cron: '@hourly', tz: 'UTC', next: '2026-03-07T13:00:00.000Z' },
    { why: 'a blank zone -> UTC', row: { cron_schedule: '0 8 * * MON', timezone: '' }, cron: '0 8 * * MON', tz: 'UTC', next: '2026-03-09T08:00:00.000Z' },
    { why: 'extra blanks in the expression', row: { cron_schedule: ' 0  3 * * * ' }, cron: '0 3 * * *', tz: 'UTC', next: '2026-03-08T03:00:00.000Z' },
  ])('$why', ({ row, cron, tz, next }) => {
    const result = convertPluginCron({ ...pluginRow, ...row }, { now, location: 'tenant' })
    if (!result.ok) throw new Error(result.reason)
    expect(result.value.job).toMatchObject({ cron_expression: cron, timezone: tz })
    expect(result.value.job.next_run_at?.toISOString()).toBe(next)
  })

  it.each([
    { row: { is_enabled: true }, active: true },
    { row: { is_enabled: false }, active: false },
    { row: { is_enabled: null }, active: false },
    { row: { last_status: 'failed' }, status: 'failed' },
    { row: { last_status: 'error' }, status: 'failed' },
    { row: { last_status: 'running' }, status: 'abandoned' },
    { row: { last_status: 'weird' }, status: 'weird' },
    { row: { last_status: null }, status: null },
    { row: { run_count: null, success_count: '7' }, runs: 0, successes: 7 },
  ])('maps $row', ({ row, active, status, runs, successes }) => {
    const result = convertPluginCron({ ...pluginRow, ...row }, { now, location: 'tenant' })
    if (!result.ok) throw new Error(result.reason)
    if (active !== undefined) expect(result.value.job.is_active).toBe(active)
    if (status !== undefined) expect(result.value.job.last_status).toBe(status)
    if (runs !== undefined) expect(result.value.job).toMatchObject({ run_count: runs, success_count: successes })
  })

  it.each([
    { why: 'an invalid cron_schedule', row: { cron_schedule: 'every day' }, reason: /invalid cron_schedule/ },
    { why: 'a minute out of range', row: { cron_schedule: '61 * * * *' }, reason: /invalid cron_schedule.*61/ },
    { why: 'no cron_schedule', row: { cron_schedule: null }, reason: /cron_schedule is missing/ },
    { why: 'an unknown zone', row: { timezone: 'Mars/Olympus' }, reason: /timezone "Mars\/Olympus"/ },
    { why: 'only handler_code: code in a row never runs', row: { handler_method: null }, reason: /only handler_code.*never run/ },
    { why: 'no handler at all', row: { handler_method: '', handler_code: null }, reason: /handler_method is missing/ },
    { why: 'a handler name that is code', row: { handler_method: 'require("fs")' }, reason: /is not a handler name/ },
    { why: 'no plugin_id', row: { plugin_id: null }, reason: /plugin_id is missing/ },
    { why: 'no cron_name', row: { cron_name: '' }, reason: /cron_name is missing/ },
  ])('reports $why', ({ row, reason }) => {
    const result = convertPluginCron({ ...pluginRow, ...row }, { now, location: 'tenant' })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toMatch(reason)
  })
})

describe('mapLegacyStatus', () => {
  it.each([
    ['completed', 'succeeded'], ['SUCCESS', 'succeeded'], ['failed', 'failed'], ['error', 'failed'], ['timeout', 'timed_out'],
    ['canceled', 'cancelled'], ['pending', 'cancelled'], ['running', 'abandoned'], ['skipped', 'skipped'], ['weird', undefined], [null, undefined],
  ])('%j -> %j', (legacy, status) => {
    expect(mapLegacyStatus(legacy)).toBe(status)
  })
})
