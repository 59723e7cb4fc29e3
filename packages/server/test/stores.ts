// The stores the tests run against: in memory, PostgreSQL's SQL on PGlite, and a real PostgreSQL server
// (started by test/postgres.ts). `counts()` gives the rows of every table, to prove a refusal wrote nothing.
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { createMemoryStore } from '../src/store/memory'
import { createSqlStore, fromPGlite, fromPgPool, migrate, type SqlClient } from '../src/store/sql'
import type { EmbedStore } from '../src/store/types'
import { startPostgres, type TestPostgres } from './postgres'

export async function pgliteStore(): Promise<EmbedStore> {
  const client = fromPGlite(new PGlite())
  await migrate(client)
  return createSqlStore(client)
}

export const storeKinds: Array<[name: string, open: () => Promise<EmbedStore>]> = [
  ['memory', async () => createMemoryStore()],
  ['PGlite', pgliteStore],
]

const TABLES = ['sso_embed_users', 'sso_embed_projects', 'sso_embed_memberships', 'sso_embed_sessions', 'sso_embed_token_uses'] as const

export interface CountedStore {
  store: EmbedStore
  /** Rows per table (the memory store: users, projects and memberships, which is all it can list). */
  counts(): Promise<Record<string, number>>
  close(): Promise<void>
}

const counted = (client: SqlClient): CountedStore => {
  const store = createSqlStore(client)
  return {
    store,
    async counts() {
      const { rows } = await client.query(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`)
      return rows[0] as Record<string, number>
    },
    close: () => store.close(),
  }
}

/** The three engines, each opened once per test file; PostgreSQL gets a fresh database named `database`. */
export function engines(database: string): Array<[name: string, open: () => Promise<CountedStore>]> {
  let postgres: TestPostgres | undefined
  return [
    [
      'memory',
      async () => {
        const store = createMemoryStore()
        return {
          store,
          counts: async () => ({
            users: (await store.users()).length,
            projects: (await store.projects()).length,
            memberships: (await store.memberships()).length,
          }),
          close: () => store.close(),
        }
      },
    ],
    [
      'PGlite',
      async () => {
        const client = fromPGlite(new PGlite())
        await migrate(client)
        return counted(client)
      },
    ],
    [
      'PostgreSQL',
      async () => {
        postgres = startPostgres(database)
        const client = fromPgPool(new pg.Pool({ connectionString: postgres.url, max: 4 }))
        await migrate(client)
        const store = counted(client)
        return {
          ...store,
          close: async () => {
            await store.close()
            await postgres?.stop()
          },
        }
      },
    ],
  ]
}
