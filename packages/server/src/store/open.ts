import { mkdir } from 'node:fs/promises'
import { createSqlStore, fromPGlite, fromPgPool, migrate, type PGliteLike, type PgPoolLike } from './sql'
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
}

/**
 * Opens the PostgreSQL store and applies its migrations: on a real server when a database URL is given
 * (needs the `pg` package), else on embedded PGlite (needs `@electric-sql/pglite`), with its data in
 * `dataDir`. Both are optional peer dependencies: install the one you use.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<EmbedStore & { readonly engine: 'postgres' | 'pglite' }> {
  const url = options.databaseUrl ?? process.env['DATABASE_URL']
  if (url) {
    const pg = (await import('pg').catch((cause: unknown) => {
      throw new Error('openStore: a database URL needs the "pg" package (npm install pg)', { cause })
    })) as { default: { Pool: new (config: object) => PgPoolLike } }
    const pool = new pg.default.Pool({ connectionString: url, max: options.maxConnections ?? 10 })
    // an idle connection that drops (server restart) must not crash the process; the next query reconnects
    pool.on?.('error', () => undefined)
    const client = fromPgPool(pool, { preparedStatements: options.preparedStatements ?? true })
    try {
      await migrate(client)
    } catch (error) {
      await client.close()
      throw error
    }
    return Object.assign(createSqlStore(client), { engine: 'postgres' as const })
  }
  const { PGlite } = (await import('@electric-sql/pglite').catch((cause: unknown) => {
    throw new Error('openStore: without a database URL the store runs on PGlite; install "@electric-sql/pglite"', { cause })
  })) as { PGlite: new (dataDir?: string) => PGliteLike }
  // PGlite creates its data directory but not the folders above it
  if (options.dataDir && !options.dataDir.includes('://')) await mkdir(options.dataDir, { recursive: true })
  const client = fromPGlite(new PGlite(options.dataDir))
  await migrate(client)
  return Object.assign(createSqlStore(client), { engine: 'pglite' as const })
}
