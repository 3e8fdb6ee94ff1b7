import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { lockFolder } from './lock.js'

export interface EmbeddedServer {
  /** The folder of the Unix socket postgres.js connects through. */
  readonly socketDir: string
  readonly socketPath: string
  stop(): Promise<void>
}

/**
 * Opens the PGlite database kept in `dataDir` and serves it on a private Unix socket, so the
 * rest of the program talks to it with postgres.js exactly as to a real server. PGlite runs one
 * statement at a time and interleaves the statements of different connections, so exactly one
 * client connection is served.
 */
export async function startEmbeddedServer(dataDir: string, options: { lockWaitMs: number; command: string }): Promise<EmbeddedServer> {
  const lock = await lockFolder(dataDir, { waitMs: options.lockWaitMs, command: options.command })
  let db: PGlite | undefined
  let socketDir: string | undefined
  try {
    db = await PGlite.create(path.join(dataDir, 'pgdata'))
    // Unix socket paths are limited to ~100 bytes: keep them short, in the temp folder.
    socketDir = mkdtempSync(path.join(tmpdir(), 'us-'))
    const socketPath = path.join(socketDir, '.s.PGSQL.5432')
    const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 })
    await server.start()
    const openedDb = db
    const openedDir = socketDir
    return {
      socketDir,
      socketPath,
      async stop() {
        try {
          await server.stop()
          await openedDb.close()
        } finally {
          rmSync(openedDir, { recursive: true, force: true })
          lock.release()
        }
      },
    }
  } catch (error) {
    await db?.close().catch(() => {})
    if (socketDir) rmSync(socketDir, { recursive: true, force: true })
    lock.release()
    throw error
  }
}
