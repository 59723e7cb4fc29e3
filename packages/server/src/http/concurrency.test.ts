// 200 first logins of one new user into one new project at the same moment, through the Node http
// adapter on loopback: every exchange succeeds, and the store holds exactly one user, one project and
// one membership — on a real PostgreSQL server and on PGlite.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchangeSetup, HOST } from '../../test/exchange'
import { startPostgres, type TestPostgres } from '../../test/postgres'
import { pgliteStore } from '../../test/stores'
import { toNodeListener } from './node'
import { openStore } from '../store/open'
import { fromPgPool, migrate } from '../store/sql'
import type { EmbedStore } from '../store/types'

let postgres: TestPostgres | undefined

const engines: Array<[string, () => Promise<EmbedStore>]> = [
  [
    'PostgreSQL server',
    async () => {
      postgres = startPostgres('sso_embed_concurrency')
      // a second migration run applies nothing
      const client = fromPgPool(new pg.Pool({ connectionString: postgres.url, max: 2 }))
      expect(await migrate(client)).toEqual([1, 2])
      expect(await migrate(client)).toEqual([])
      await client.close()
      const store = await openStore({ databaseUrl: postgres.url })
      expect(store.engine).toBe('postgres')
      return store
    },
  ],
  ['PGlite', pgliteStore],
]

afterAll(() => postgres?.stop())

describe.each(engines)('on %s', (_, open) => {
  let store: EmbedStore
  let server: Server
  let url: string
  let setup: Awaited<ReturnType<typeof exchangeSetup>>

  beforeAll(async () => {
    store = await open()
    setup = await exchangeSetup(store)
    server = createServer(toNodeListener(setup.handler))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/embed/exchange`
  }, 300_000)

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await store?.close()
  })

  const exchange = (token: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, hostOrigin: HOST }) })

  it('200 concurrent first logins of one new user and project: all succeed, one user, one project, one membership', async () => {
    const tokens = await Promise.all(Array.from({ length: 200 }, () => setup.sign({ externalUserId: 'race-user', externalProjectId: 'race-project' })))
    expect(new Set(tokens).size).toBe(200)
    const responses = await Promise.all(tokens.map(exchange))
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{ user: { id: string }; project: { id: string }; created: { user: boolean } }>
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200))
    expect(new Set(bodies.map((b) => b.user.id)).size).toBe(1)
    expect(new Set(bodies.map((b) => b.project.id)).size).toBe(1)
    expect(bodies.filter((b) => b.created.user)).toHaveLength(1)
    const users = await store.users({ account: 'acme' })
    expect(users.filter((u) => u.externalId === 'race-user')).toHaveLength(1)
    const projects = (await store.projects({ account: 'acme' })).filter((p) => p.externalId === 'race-project')
    expect(projects).toHaveLength(1)
    expect(await store.memberships({ projectId: projects[0]!.id })).toHaveLength(1)
  }, 120_000)

  it('a token replayed is TOKEN_REPLAYED, also when 20 uses race', async () => {
    const token = await setup.sign({ externalUserId: 'replay-user' })
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => exchange(token).then(async (r) => [r.status, ((await r.json()) as { error?: { code: string } }).error?.code])),
    )
    expect(statuses.filter(([status]) => status === 200)).toHaveLength(1)
    expect(statuses.filter(([status, code]) => status === 401 && code === 'TOKEN_REPLAYED')).toHaveLength(19)
    const later = await exchange(token)
    expect(((await later.json()) as { error: { code: string } }).error.code).toBe('TOKEN_REPLAYED')
  }, 60_000)

  it('the Node adapter refuses a body over 16 KiB while streaming it, and keeps Set-Cookie', async () => {
    // declared: refused from its Content-Length
    const declared = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"token":"${'x'.repeat(20_000)}"}` })
    expect(declared.status).toBe(400)
    expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(/at most 16384/)
    // chunked, no Content-Length: refused once the streamed bytes pass the limit
    const chunk = new TextEncoder().encode('x'.repeat(4096))
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk)
        controller.close()
      },
    })
    const streamed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit)
    expect(streamed.status).toBe(400)
    expect(((await streamed.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'REQUEST_INVALID',
      message: expect.stringMatching(/over 16384/),
    })
    const ok = await exchange(await setup.sign({ externalUserId: 'cookie-user' }))
    expect(ok.headers.getSetCookie()).toHaveLength(1)
  })

  it('prunes expired token ids', async () => {
    expect(await store.replay.use({ scope: 's', jti: 'old', expiresAt: new Date(Date.now() - 1000) })).toBe(true)
    expect(await store.replay.prune()).toBeGreaterThanOrEqual(1)
    // an expired id may be used again (its token can no longer pass the expiry check anyway)
    expect(await store.replay.use({ scope: 's', jti: 'old', expiresAt: new Date(Date.now() + 60_000) })).toBe(true)
    expect(await store.replay.use({ scope: 's', jti: 'old', expiresAt: new Date(Date.now() + 60_000) })).toBe(false)
  })

  it('release() forgets one use (a failed exchange), only that one', async () => {
    const entry = { scope: 's', jti: 'released', expiresAt: new Date(Date.now() + 60_000) }
    const other = { ...entry, scope: 't' }
    expect(await store.replay.use(entry)).toBe(true)
    expect(await store.replay.use(other)).toBe(true)
    await store.replay.release?.(entry)
    expect(await store.replay.use(entry)).toBe(true)
    expect(await store.replay.use(entry)).toBe(false)
    expect(await store.replay.use(other)).toBe(false)
  })
})
