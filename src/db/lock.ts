import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { StartupError } from '../errors.js'

export interface FolderLock {
  release(): void
}

interface Holder {
  pid: number
  host: string
  command: string
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file created with O_EXCL serialises the processes; one left by a dead process on this
 * host is taken over.
 */
export async function lockFolder(folder: string, options: { waitMs: number; command: string }): Promise<FolderLock> {
  mkdirSync(folder, { recursive: true })
  const lockPath = `${folder}/lock`
  const deadline = Date.now() + options.waitMs
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx')
      const holder: Holder = { pid: process.pid, host: hostname(), command: options.command }
      writeSync(fd, JSON.stringify(holder))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        rmSync(lockPath, { force: true })
        process.off('exit', release)
      }
      process.on('exit', release)
      return { release }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = readHolder(lockPath)
    if (holder === undefined || (holder.host === hostname() && !isProcessAlive(holder.pid))) {
      rmSync(lockPath, { force: true })
      continue
    }
    if (Date.now() >= deadline) {
      throw new StartupError(
        `the embedded database in "${folder}" is in use by process ${holder.pid} on ${holder.host} (${holder.command})`,
        { hint: 'wait for it to finish, or point DATABASE_URL at a PostgreSQL server to run several processes at once' },
      )
    }
    await sleep(50)
  }
}

function readHolder(lockPath: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as Holder
  } catch {
    // Being written this instant, or removed: give the writer a moment by treating it as held.
    return { pid: -1, host: '', command: 'starting' }
  }
}

/** Is a process of this host alive? Unknown pids count as alive, so nothing is taken over by mistake. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
