// The demo platform as a multi-host platform, over HTTP (no browser): every key belongs to an account,
// the embed page named by `?account=` allows only that account's origins, a key of another account
// cannot be registered twice, and sessions end (logout, key revocation) on the platform's own API.
import { HOST_ORIGIN_HEADER } from '@sso-embed/protocol'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateHostKey, type HostKey } from '../playground/keys'
import { adminHeaders } from '../playground/platform/admin'
import { startPlatform, type Platform } from '../playground/platform/server'
import { signHostToken } from '../playground/tokens'

const ACME = 'https://app.acme.example'
const GLOBEX = 'https://globex.example'
let platform: Platform
let acme: HostKey
let globex: HostKey

beforeAll(async () => {
  ;[acme, globex] = await Promise.all([generateHostKey('acme-key'), generateHostKey('globex-key')])
  platform = await startPlatform({
    keys: [
      { kid: acme.kid, publicPem: acme.publicPem, origins: [ACME], account: 'acme' },
      { kid: globex.kid, publicPem: globex.publicPem, origins: [GLOBEX], account: 'globex' },
    ],
  })
}, 120_000)
afterAll(() => platform?.close())

const page = (query: string) => fetch(`${platform.instanceUrl}/${query}`)
const json = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${platform.origin}${path}`, {
    method: init.method ?? 'GET',
    // the admin API answers only with this run's secret and the platform's own origin
    headers: {
      'content-type': 'application/json',
      ...(path.startsWith('/admin/') && adminHeaders({ origin: platform.origin, secret: platform.adminSecret })),
      ...init.headers,
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  })

describe('the embed page of one account', () => {
  test("?account=acme: frame-ancestors and allowedHostOrigins are acme's only", async () => {
    const response = await page('?account=acme')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${ACME}`)
    const html = await response.text()
    expect(html).toContain(ACME)
    expect(html).not.toContain(GLOBEX)
  })

  test('an unknown account: 404, and no page may frame it', async () => {
    const response = await page('?account=nobody')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
  })

  test('without ?account=: every registered origin (one-host platforms, hosts that do not name their account)', async () => {
    expect((await page('')).headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${ACME} ${GLOBEX}`)
  })
})

describe('the admin API registers every key for one account', () => {
  test('a key without an account is refused', async () => {
    const response = await json('/admin/api/keys', { method: 'POST', body: { origins: [ACME] } })
    expect(response.status).toBe(400)
  })

  test("another account's public key, or kid, cannot be registered as one's own", async () => {
    const sameKey = await json('/admin/api/keys', {
      method: 'POST',
      body: { account: 'mallory', publicPem: acme.publicPem, origins: ['https://mallory.example'] },
    })
    expect(sameKey.status).toBe(400)
    const other = await generateHostKey()
    const sameKid = await json('/admin/api/keys', {
      method: 'POST',
      body: { account: 'mallory', kid: acme.kid, publicPem: other.publicPem, origins: ['https://mallory.example'] },
    })
    expect(sameKid.status).toBe(400)
    expect(platform.keys.list().filter((k) => k.account === 'mallory')).toEqual([])
  })
})

describe('sessions on the platform', () => {
  const signIn = async (key: HostKey, origin: string, user: string) => {
    const response = await json('/api/exchange', {
      method: 'POST',
      body: { token: await signHostToken(key, { externalUserId: user, externalProjectId: 'p', firstName: 'A', lastName: 'L' }), hostOrigin: origin },
    })
    expect(response.status).toBe(200)
    return (await response.json()) as { sessionToken: string; account: string; user: { id: string } }
  }
  const me = (token: string, origin: string) => json('/api/me', { headers: { authorization: `Bearer ${token}`, [HOST_ORIGIN_HEADER]: origin } })

  test("the exchange answers the account; logout ends the session for the platform's API too", async () => {
    const session = await signIn(acme, ACME, 'ada')
    expect(session.account).toBe('acme')
    expect((await me(session.sessionToken, ACME)).status).toBe(200)
    expect((await me(session.sessionToken, GLOBEX)).status).toBe(401) // bound to its host page
    const out = await json('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${session.sessionToken}`, [HOST_ORIGIN_HEADER]: ACME } })
    expect(out.status).toBe(204)
    expect((await me(session.sessionToken, ACME)).status).toBe(401)
  })

  test("the platform's API does not act on the session cookie alone: a cross-site no-cors POST (text/plain, the cookie, no host-origin header) creates nothing", async () => {
    const exchange = await json('/api/exchange', {
      method: 'POST',
      body: { token: await signHostToken(acme, { externalUserId: 'csrf', externalProjectId: 'p', firstName: 'A', lastName: 'L' }), hostOrigin: ACME },
    })
    const cookie = exchange.headers.get('set-cookie')!.split(';')[0]!
    const { sessionToken } = (await exchange.json()) as { sessionToken: string }
    const forged = await fetch(`${platform.origin}/api/flows`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain', origin: 'http://localhost:9999' },
      body: JSON.stringify({ name: 'planted' }),
    })
    expect(forged.status).toBe(401)
    const own = { authorization: `Bearer ${sessionToken}`, [HOST_ORIGIN_HEADER]: ACME }
    const listed = (await (await json('/api/flows', { headers: own })).json()) as { flows: { name: string }[] }
    expect(listed.flows.map((flow) => flow.name)).not.toContain('planted')
    // the frame's own request (its fetch helper sends the header) still works, with the cookie too
    expect((await json('/api/flows', { method: 'POST', headers: { cookie, [HOST_ORIGIN_HEADER]: ACME }, body: { name: 'mine' } })).status).toBe(201)
  })

  test('revoking a key on the admin page ends the sessions it let in, and only those', async () => {
    const [a, g] = [await signIn(acme, ACME, 'grace'), await signIn(globex, GLOBEX, 'grace')]
    expect(a.user.id).not.toBe(g.user.id)
    expect((await json(`/admin/api/keys/${encodeURIComponent(globex.kid)}/revoke`, { method: 'POST', body: {} })).status).toBe(200)
    expect((await me(g.sessionToken, GLOBEX)).status).toBe(401)
    expect((await me(a.sessionToken, ACME)).status).toBe(200)
  })
})
