// Repeat-login exchanges per second on a PostgreSQL server with many distinct users (16 in flight,
// through the Node http adapter on loopback), and in the same run pgbench (16 clients) running the
// statements those exchanges run — recorded from a real exchange, not written by hand — for as long.
// The ratio says how much of the database's own rate the endpoint keeps.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { exchangeSetup, HOST } from '../../packages/server/test/exchange'
import { startPostgres } from '../../packages/server/test/postgres'
import { createEmbedHandler, createSqlStore, fromPgPool, migrate, toNodeListener, type EmbedStore, type SqlClient } from '../../packages/server/src/index'

/** BENCH_PROFILE=file.cpuprofile: a CPU profile of the timed exchanges only. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return async (file) => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: unknown }
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

const USERS = 2000
const CONCURRENCY = 16
/** Rounds of each, alternating (exchange, pgbench, exchange, …) so machine noise hits both alike; medians are printed. */
const ROUNDS = 3
const SECONDS = 4

/** A SqlClient that can record the statements (and their parameters) it runs. */
function recording(client: SqlClient) {
  let log: Array<{ text: string; params: unknown[]; rows?: Record<string, unknown>[] }> | undefined
  const wrap =
    (q: SqlClient['query']): SqlClient['query'] =>
    async (text, params = []) => {
      const entry: { text: string; params: unknown[]; rows?: Record<string, unknown>[] } = { text, params }
      log?.push(entry)
      const result = await q(text, params)
      entry.rows = result.rows
      return result
    }
  return {
    client: {
      ...client,
      query: wrap(client.query),
      transaction: async (fn) => {
        log?.push({ text: 'BEGIN', params: [] })
        const result = await client.transaction((sql) => fn({ query: wrap(sql.query.bind(sql)) }))
        log?.push({ text: 'COMMIT', params: [] })
        return result
      },
    } satisfies SqlClient,
    start: () => (log = []),
    stop: () => {
      const out = log ?? []
      log = undefined
      return out
    },
  }
}

/** A statement as pgbench runs it: parameters inlined as SQL literals, the per-user ones made pgbench variables. */
function literal(value: unknown, swaps: Map<string, string>): string {
  if (value === null || value === undefined) return 'NULL'
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `ARRAY[${value.map((v) => literal(v, swaps)).join(',')}]::text[]`
  const text = String(value)
  for (const [from, to] of swaps) if (text === from) return to
  return `'${text.replace(/'/g, "''")}'`
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * The recorded statements as a pgbench script: a random user per transaction, and the rows a statement
 * returns (`RETURNING *`: the user's and project's ids) kept with `\\gset` for the statements after it,
 * as the exchange passes them on.
 */
function pgbenchScript(statements: Array<{ text: string; params: unknown[]; rows?: Record<string, unknown>[] }>, swaps: Map<string, string>): string {
  const lines = [`\\set i random(0, ${USERS - 1})`]
  statements.forEach(({ text, params, rows }, n) => {
    // a new session's id (a uuid no earlier statement returned) is a fresh one in every pgbench transaction
    if (/INSERT INTO sso_embed_sessions/.test(text)) {
      for (const p of params) if (typeof p === 'string' && UUID.test(p) && !swaps.has(p)) swaps.set(p, 'gen_random_uuid()')
    }
    const sql = text
      .replace(/\$(\d+)/g, (_, k: string) => literal(params[Number(k) - 1], swaps))
      .replace(/\s+/g, ' ')
      .trim()
    const id = rows?.length === 1 && typeof rows[0]!['id'] === 'string' ? (rows[0]!['id'] as string) : undefined
    if (id && /RETURNING \*/.test(sql)) {
      lines.push(`${sql.replace(/RETURNING \*.*$/, 'RETURNING id')} \\gset s${n}_`)
      swaps.set(id, `:s${n}_id`)
    } else lines.push(`${sql};`)
  })
  return `${lines.join('\n')}\n`
}

export async function benchThroughput(): Promise<void> {
  console.log(`\nThroughput on PostgreSQL: repeat logins of ${USERS} distinct users, ${CONCURRENCY} in flight, ${SECONDS} s each:`)
  const postgres = startPostgres('sso_embed_throughput')
  const dir = mkdtempSync(join(tmpdir(), 'sso-embed-pgbench-'))
  try {
    const pool = new pg.Pool({ connectionString: postgres.url, max: CONCURRENCY })
    const rec = recording(fromPgPool(pool))
    await migrate(rec.client)
    const store = createSqlStore(rec.client)
    const setup = await exchangeSetup(store, 'bench')
    const server = createServer(toNodeListener(setup.handler))
    // the same endpoint on a store without the one-statement sign-in: the transaction path, for comparison
    const slow = createEmbedHandler({ verifier: setup.verifier, sessions: setup.sessions, store: { ...store, signIn: undefined } as unknown as EmbedStore })
    let target: 'fast' | 'transaction' = 'fast'
    const router = toNodeListener(setup.handler)
    const slowRouter = toNodeListener(slow)
    server.removeAllListeners('request')
    server.on('request', (req, res) => (target === 'fast' ? router : slowRouter)(req, res))
    server.keepAliveTimeout = 60_000
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
    const exchange = (token: string) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ token, hostOrigin: HOST })
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/embed/exchange',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
          },
        )
        req.on('error', reject)
        req.end(body)
      })
    const claims = (i: number) => ({ externalUserId: `user-${i}`, externalProjectId: `project-${i}` })
    const run = async (tokens: () => Promise<string>, seconds: number) => {
      let count = 0
      const end = performance.now() + seconds * 1000
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < end) {
            const status = await exchange(await tokens())
            if (status !== 200) throw new Error(`exchange answered ${status}`)
            count++
          }
        }),
      )
      return count / seconds
    }
    // every user signs in once (first logins), then the timed repeat logins, with tokens signed ahead
    const first = await Promise.all(Array.from({ length: USERS }, (_, i) => setup.sign(claims(i))))
    for (let i = 0; i < USERS; i += CONCURRENCY) await Promise.all(first.slice(i, i + CONCURRENCY).map(exchange))
    const signed = await Promise.all(Array.from({ length: 16_000 }, (_, n) => setup.sign(claims(n % USERS))))
    let k = 0
    await run(async () => signed[k++]!, 1) // warm-up
    // the statements of one repeat login, as the exchange ran them
    rec.start()
    if ((await exchange(await setup.sign({ ...claims(7), jti: 'RECORDED-JTI' }))) !== 200) throw new Error('recording failed')
    const statements = rec.stop()
    const swaps = new Map<string, string>([
      ['user-7', `('user-' || :i)`],
      ['project-7', `('project-' || :i)`],
      ['RECORDED-JTI', 'gen_random_uuid()::text'],
    ])
    const script = pgbenchScript(statements, swaps)
    writeFileSync(join(dir, 'exchange.sql'), script)
    const url = new URL(postgres.url)
    const pgbench = () => {
      const out = execFileSync(
        'pgbench',
        [
          '-n',
          '-f',
          join(dir, 'exchange.sql'),
          '-c',
          String(CONCURRENCY),
          '-j',
          '2',
          '-T',
          String(SECONDS),
          '-M',
          'prepared',
          '-h',
          url.hostname,
          '-p',
          url.port,
          '-U',
          url.username,
          url.pathname.slice(1),
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
        },
      )
      return Number(/tps = ([\d.]+)/.exec(out)?.[1])
    }
    const rates: number[] = []
    const slowRates: number[] = []
    const tpss: number[] = []
    const tokens = async () => (k < signed.length ? signed[k++]! : setup.sign(claims(k++ % USERS)))
    for (let round = 0; round < ROUNDS; round++) {
      const profiling = round === 0 && process.env['BENCH_PROFILE'] ? await startProfile() : undefined
      target = 'fast'
      rates.push(await run(tokens, SECONDS))
      await profiling?.(process.env['BENCH_PROFILE']!)
      tpss.push(pgbench())
      target = 'transaction'
      slowRates.push(await run(tokens, SECONDS))
    }
    await new Promise((resolve) => server.close(resolve))
    agent.destroy()
    await store.close()
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
    const [rate, tps] = [median(rates), median(tpss)]
    const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ')
    console.log(
      `statements per exchange: ${statements.length} (${statements.map((s) => s.text.trim().split(/\s+/)[0]).join(', ')}), ${statements.length} round trip(s) to the database`,
    )
    console.log(`exchange endpoint   ${rate.toFixed(0).padStart(6)} exchanges/s   (rounds: ${list(rates)})`)
    console.log(`pgbench, same SQL   ${tps.toFixed(0).padStart(6)} transactions/s (rounds: ${list(tpss)}; -c ${CONCURRENCY}, -M prepared)`)
    console.log(`ratio               ${(rate / tps).toFixed(2)}× (target ≥ 0.8×)`)
    console.log(
      `(the transaction path on the same store — the token's use, BEGIN, 4 statements, COMMIT: ${median(slowRates).toFixed(0)} exchanges/s; rounds: ${list(slowRates)})`,
    )
    console.log(
      `(load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores)`,
    )
    if (process.env['BENCH_SCRIPT']) console.log(script)
  } finally {
    rmSync(dir, { recursive: true, force: true })
    postgres.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchThroughput()
