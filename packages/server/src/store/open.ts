import { access, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { redactDatabaseUrl } from './database-url'
import { MIGRATIONS } from './migrations'
import { createSqlStore, fromPGlite, fromPgPool, migrate, type PGliteLike, type PgPoolLike, type SqlClient } from './sql'
import type { EmbedStore } from './types'

export interface OpenStoreOptions {
  /**
   * A PostgreSQL connection string (`postgres://user:pass@host/db`): the store runs on that server
   * through `pg`. Default: the `DATABASE_URL` environment variable; when that is unset too, PGlite.
   */
  databaseUrl?: string | undefined
  /** PGlite's data directory (kept across restarts). Default: in memory. */
  dataDir?: string | undefined
  /** Largest number of connections to a PostgreSQL server. Default 10. */
  maxConnections?: number
  /** Named prepared statements for the hot queries on a PostgreSQL server (default true; see `fromPgPool`). */
  preparedStatements?: boolean
  /**
   * Where `openStore` says what it is doing, one line per step: the engine it opens (PGlite at a
   * directory or in memory, or PostgreSQL at the URL with its password shown as `***`), whether it creates
   * a new database (PGlite's first start takes a few seconds) or opens one, the migrations it applied,
   * and how long it took. `console` fits, and so does a pino or winston logger. Default: silent.
   */
  logger?: { info(message: string): void } | undefined
}

/**
 * Opens the PostgreSQL store and applies its migrations: on a real server when a database URL is given
 * (needs the `pg` package), else on embedded PGlite (needs `@electric-sql/pglite`), with its data in
 * `dataDir`. Both are optional peer dependencies: install the one you use. Pass `logger` to see progress.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<EmbedStore & { readonly engine: 'postgres' | 'pglite' }> {
  const started = performance.now()
  const log = (message: string) => options.logger?.info(message)
  const url = options.databaseUrl ?? process.env['DATABASE_URL']
  if (url) {
    const from = options.databaseUrl ? '' : ' (from DATABASE_URL)'
    log(`connecting to PostgreSQL at ${redactDatabaseUrl(url)}${from}`)
    const pg = (await import('pg').catch((cause: unknown) => {
      throw new Error('openStore: a database URL needs the "pg" package (npm install pg)', { cause })
    })) as { default: { Pool: new (config: object) => PgPoolLike } }
    const pool = new pg.default.Pool({ connectionString: url, max: options.maxConnections ?? 10 })
    // an idle connection that drops (server restart) must not crash the process; the next query reconnects
    pool.on?.('error', () => undefined)
    const client = fromPgPool(pool, { preparedStatements: options.preparedStatements ?? true })
    try {
      await migrateLogged(client, log)
    } catch (error) {
      await client.close()
      throw error
    }
    log(`PostgreSQL store ready in ${elapsed(started)}`)
    return Object.assign(createSqlStore(client), { engine: 'postgres' as const })
  }
  const { PGlite } = (await import('@electric-sql/pglite').catch((cause: unknown) => {
    throw new Error('openStore: without a database URL the store runs on PGlite; install "@electric-sql/pglite"', { cause })
  })) as { PGlite: new (dataDir?: string) => PGliteLike }
  const dir = localDirectory(options.dataDir)
  if (dir === undefined) {
    const where = !options.dataDir || options.dataDir.startsWith('memory://') ? 'in memory' : `at ${options.dataDir}`
    log(`creating a new PGlite database ${where} (takes a few seconds)`)
  } else {
    // PGlite creates its data directory but not the folders above it
    const exists = await access(join(dir, 'PG_VERSION')).then(
      () => true,
      () => false,
    )
    if (!exists) await mkdir(dir, { recursive: true })
    log(exists ? `opening the PGlite database at ${dir}` : `creating a new PGlite database at ${dir} (first start takes a few seconds)`)
  }
  const client = fromPGlite(new PGlite(options.dataDir))
  await migrateLogged(client, log)
  log(`PGlite store ready in ${elapsed(started)}`)
  return Object.assign(createSqlStore(client), { engine: 'pglite' as const })
}

/** The folder of a PGlite data directory on this machine's disk (a path or `file://` path), else undefined. */
function localDirectory(dataDir: string | undefined): string | undefined {
  if (!dataDir) return undefined
  if (dataDir.startsWith('file://')) return dataDir.slice('file://'.length) || undefined
  return dataDir.includes('://') ? undefined : dataDir
}

async function migrateLogged(client: SqlClient, log: (message: string) => void): Promise<void> {
  const applied = await migrate(client)
  log(
    applied.length === 0
      ? `schema up to date (version ${MIGRATIONS.length})`
      : `applied migration${applied.length === 1 ? '' : 's'} ${applied.join(', ')} (schema version ${MIGRATIONS.length})`,
  )
}

const elapsed = (since: number) => {
  const ms = performance.now() - since
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
