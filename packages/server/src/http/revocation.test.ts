// Sessions that end, seen from a second platform process sharing the same PostgreSQL database: a logout,
// the revocation of one session, of a user's sessions and of a key's sessions, and a deactivation done
// by process A are refused by process B on its very next request (no cache), and B refuses a deactivated
// user's exchange.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ap, body, code, endpoints, platformSetup } from '../../test/platform'
import { startPostgres, type TestPostgres } from '../../test/postgres'
import { openStore } from '../store/open'
import type { EmbedStore } from '../store/types'

const ACME = 'https://app.acme.example'
const GLOBEX = 'https://globex.example'

let postgres: TestPostgres
let store: EmbedStore
let child: ChildProcess
let a: Awaited<ReturnType<typeof platformSetup>>
let b: ReturnType<typeof endpoints>

beforeAll(async () => {
  postgres = startPostgres('sso_embed_revocation')
  store = await openStore({ databaseUrl: postgres.url, maxConnections: 4 })
  a = await platformSetup(store, [
    { account: 'acme', origin: ACME },
    { account: 'globex', origin: GLOBEX },
  ])
  const keys = a.hosts.map((h) => ({ publicPem: h.key.publicPem, kid: h.key.kid, account: h.account, origin: h.origin }))
  const root = join(import.meta.dirname, '..', '..', '..', '..')
  child = spawn(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['--conditions=@sso-embed/source', join(import.meta.dirname, '..', '..', 'test', 'platform-process.ts')],
    {
      env: { ...process.env, DATABASE_URL: postgres.url, KEYS: JSON.stringify(keys) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())))
    child.once('exit', (status) => reject(new Error(`the second platform process exited (${status})`)))
  })
  // process B, over HTTP: the same requests, to its own port
  b = endpoints((request) => {
    const url = new URL(request.url)
    return fetch(`http://127.0.0.1:${port}${url.pathname}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      duplex: 'half',
    } as RequestInit)
  })
}, 300_000)

afterAll(async () => {
  child?.kill('SIGTERM')
  await new Promise((resolve) => (child?.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)))
  await store?.close()
  postgres?.stop()
})

/** Signs in on process A; the session token works on process B. */
async function signIn(user = 'ada', host = a.hosts[0]!) {
  const response = await a.exchange(await host.sign(ap({ externalUserId: user })), host.origin)
  expect(response.status).toBe(200)
  const answer = await body(response)
  expect((await b.session(answer.sessionToken, host.origin)).status).toBe(200)
  return answer as { sessionToken: string; user: { id: string }; account: string }
}

describe('sessions that end, across two processes sharing PostgreSQL', () => {
  it("B answers A's session with its account, bound to its host origin", async () => {
    const session = await signIn()
    expect(await body(await b.session(session.sessionToken, ACME))).toMatchObject({
      user: { id: session.user.id },
      account: 'acme',
      sessionToken: session.sessionToken,
    })
    expect(await code(await b.session(session.sessionToken, GLOBEX))).toBe('SESSION_INVALID')
    expect(await code(await b.session(session.sessionToken, null))).toBe('SESSION_INVALID')
  })

  it('logout on A: B refuses the session at once; logout is idempotent and clears the cookie', async () => {
    const session = await signIn()
    const out = await a.logout(session.sessionToken, ACME)
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-sso_session=; .*Max-Age=0$/)
    expect(await code(await b.session(session.sessionToken, ACME))).toBe('SESSION_INVALID')
    expect((await b.logout(session.sessionToken, ACME)).status).toBe(204) // again, on the other process
  })

  it('a logout from another host page does not end the session', async () => {
    const session = await signIn()
    expect(await code(await b.logout(session.sessionToken, GLOBEX))).toBe('SESSION_INVALID')
    expect((await b.session(session.sessionToken, ACME)).status).toBe(200)
  })

  it('revoking one session on A ends only that one on B', async () => {
    const [one, two] = [await signIn(), await signIn()]
    const id = (await a.sessions.verify(one.sessionToken)).id
    expect(await store.sessions.revoke(id)).toBe(true)
    expect(await code(await b.session(one.sessionToken, ACME))).toBe('SESSION_INVALID')
    expect((await b.session(two.sessionToken, ACME)).status).toBe(200)
  })

  it("revoking a user's sessions on A ends all of them on B, and only theirs", async () => {
    const [one, two, other] = [await signIn('grace'), await signIn('grace'), await signIn('linus')]
    expect(await store.sessions.revokeUser(one.user.id)).toBe(2)
    expect(await code(await b.session(one.sessionToken, ACME))).toBe('SESSION_INVALID')
    expect(await code(await b.session(two.sessionToken, ACME))).toBe('SESSION_INVALID')
    expect((await b.session(other.sessionToken, ACME)).status).toBe(200)
    // signing in again opens a new session
    expect((await b.session((await signIn('grace')).sessionToken, ACME)).status).toBe(200)
  })

  it("revoking a key's sessions on A ends every session it let in on B, not another account's", async () => {
    const [acme, globex] = [await signIn('k'), await signIn('k', a.hosts[1])]
    expect(await store.sessions.revokeKey('acme', a.hosts[0]!.key.kid)).toBeGreaterThanOrEqual(1)
    expect(await code(await b.session(acme.sessionToken, ACME))).toBe('SESSION_INVALID')
    expect((await b.session(globex.sessionToken, GLOBEX)).status).toBe(200)
    // the same kid under another account is not that key
    expect(await store.sessions.revokeKey('globex', a.hosts[0]!.key.kid)).toBe(0)
  })

  it('deactivating a user on A: B refuses their sessions and their next exchange (403 USER_DEACTIVATED, nothing written); reactivating lets them in again', async () => {
    const session = await signIn('eve')
    expect(await store.deactivateUser(session.user.id)).toBe(true)
    expect(await code(await b.session(session.sessionToken, ACME))).toBe('SESSION_INVALID')
    const users = (await store.users()).length
    const refused = await b.exchange(await a.hosts[0]!.sign(ap({ externalUserId: 'eve', firstName: 'Changed' })), ACME)
    expect(refused.status).toBe(403)
    expect(await code(refused)).toBe('USER_DEACTIVATED')
    expect(await store.user(session.user.id)).toMatchObject({ firstName: 'Ada', deactivatedAt: expect.any(Date) })
    expect((await store.users()).length).toBe(users)
    expect(await store.reactivateUser(session.user.id)).toBe(true)
    expect(await code(await b.session(session.sessionToken, ACME))).toBe('SESSION_INVALID') // ended sessions stay ended
    expect((await b.exchange(await a.hosts[0]!.sign(ap({ externalUserId: 'eve' })), ACME)).status).toBe(200)
  })

  it('a key removed from the registry ends its sessions at once, before any revokeKey() call', async () => {
    const session = await signIn('r')
    const removed = a.keys.list.shift()!
    try {
      expect(await code(await a.session(session.sessionToken, ACME))).toBe('SESSION_INVALID')
      expect(await code(await a.exchange(await a.hosts[0]!.sign(ap()), ACME))).toBe('BAD_SIGNATURE')
    } finally {
      a.keys.list.unshift(removed)
    }
  })

  it('a forged or foreign session token is refused without a database read', async () => {
    const session = await signIn()
    const tampered = `${session.sessionToken.slice(0, -2)}${session.sessionToken.endsWith('AA') ? 'BB' : 'AA'}`
    expect(await code(await b.session(tampered, ACME))).toBe('SESSION_INVALID')
    expect(await code(await b.session('not-a-token', ACME))).toBe('SESSION_INVALID')
  })
})
