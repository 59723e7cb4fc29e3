// Exchanges per second and p50/p99 latency of POST /api/embed/exchange through the Node http adapter
// on loopback, for first logins (new user and project each) and repeat logins (the same users again),
// on PGlite and on a PostgreSQL server (started here, as the tests do, and stopped afterwards).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { exchangeSetup, HOST } from '../../packages/server/test/exchange'
import { startPostgres } from '../../packages/server/test/postgres'
import { pgliteStore } from '../../packages/server/test/stores'
import { createSqlStore, fromPgPool, migrate, toNodeListener, type EmbedStore } from '../../packages/server/src/index'

const USERS = 300
const CONCURRENCY = 16

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

async function run(url: string, tokens: string[]) {
  const latencies: number[] = []
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < tokens.length) {
        const token = tokens[next++]!
        const t = performance.now()
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token, hostOrigin: HOST }),
        })
        if (response.status !== 200) throw new Error(`exchange answered ${response.status}: ${await response.text()}`)
        await response.arrayBuffer()
        latencies.push(performance.now() - t)
      }
    }),
  )
  const seconds = (performance.now() - start) / 1000
  latencies.sort((a, b) => a - b)
  return { rate: tokens.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

async function bench(name: string, store: EmbedStore) {
  const setup = await exchangeSetup(store, `bench-${Date.now()}`)
  const server = createServer(toNodeListener(setup.handler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/embed/exchange`
  try {
    const claims = (i: number) => ({ externalUserId: `user-${i}`, externalProjectId: `project-${i}` })
    await run(url, await Promise.all(Array.from({ length: 20 }, (_, i) => setup.sign({ externalUserId: `warm-${i}` })))) // warm-up
    const first = await run(url, await Promise.all(Array.from({ length: USERS }, (_, i) => setup.sign(claims(i)))))
    const repeat = await run(url, await Promise.all(Array.from({ length: USERS }, (_, i) => setup.sign(claims(i)))))
    for (const [kind, r] of [
      ['first logins', first],
      ['repeat logins', repeat],
    ] as const) {
      console.log(
        `${name.padEnd(12)} ${kind.padEnd(14)} ${r.rate.toFixed(0).padStart(6)} exchanges/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms`,
      )
    }
  } finally {
    await new Promise((resolve) => server.close(resolve))
    await store.close()
  }
}

export async function benchExchange(): Promise<void> {
  console.log(`\nExchange endpoint (Node http adapter, loopback; ${USERS} logins each, ${CONCURRENCY} in flight; ES256 tokens, replay store on):`)
  await bench('PGlite', await pgliteStore())
  const postgres = startPostgres('sso_embed_bench')
  try {
    const client = fromPgPool(new pg.Pool({ connectionString: postgres.url, max: 10 }))
    await migrate(client)
    await bench('PostgreSQL', createSqlStore(client))
  } finally {
    postgres.stop()
  }
}
