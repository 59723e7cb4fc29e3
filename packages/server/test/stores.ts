// The stores the provisioning tests run against: in memory, and PostgreSQL's SQL on PGlite.
import { PGlite } from '@electric-sql/pglite'
import { createMemoryStore } from '../src/store/memory'
import { createSqlStore, fromPGlite, migrate } from '../src/store/sql'
import type { EmbedStore } from '../src/store/types'

export async function pgliteStore(): Promise<EmbedStore> {
  const client = fromPGlite(new PGlite())
  await migrate(client)
  return createSqlStore(client)
}

export const storeKinds: Array<[name: string, open: () => Promise<EmbedStore>]> = [
  ['memory', async () => createMemoryStore()],
  ['PGlite', pgliteStore],
]
