import { describe, expect, it, vi } from 'vitest'
import { exchangeRequest, exchangeSetup, HOST } from '../../test/exchange'
import { HOST_ORIGIN_HEADER } from '@sso-embed/protocol'
import { frameAncestors, originsForAccount } from './frame-ancestors'
import { createEmbedHandler } from './handler'
import { importPublicKey } from '../keys/public-key'
import { generateSigningKey } from '../keys/generate'
import { SESSION_COOKIE, verifySession } from './sessions'
import { createMemoryStore } from '../store/memory'
import type { EmbedStore } from '../store/types'

/** What the store holds, to prove a refused request wrote nothing. */
const snapshot = async (store: EmbedStore) => ({
  users: (await store.users()).length,
  projects: (await store.projects()).length,
  memberships: (await store.memberships()).length,
})

describe('createEmbedHandler: POST /api/embed/exchange', () => {
  it('verifies, provisions and answers the session (JSON for the frame, partitioned cookie, no-store)', async () => {
    const store = createMemoryStore()
    const { post, sign, sessions } = await exchangeSetup(store)
    const response = await post({ token: await sign(), hostOrigin: HOST })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as Record<string, any>
    expect(body).toMatchObject({ user: { name: 'Ada Lovelace' }, project: { name: 'p-1' }, account: 'acme', created: { user: true, project: true } })
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(7.9 * 3600_000)
    const cookie = response.headers.get('set-cookie')!
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=28800$`))
    // the session works as a bearer token and as the cookie, for the platform's own API
    expect(await verifySession(new Request('http://x/api', { headers: { authorization: `Bearer ${body.sessionToken}` } }), sessions)).toMatchObject({
      userId: body.user.id,
      projectId: body.project.id,
      account: 'acme',
      hostOrigin: HOST,
    })
    expect((await verifySession({ cookie: `a=b; ${cookie.split(';')[0]}` }, sessions)).userId).toBe(body.user.id)
    expect(await snapshot(store)).toEqual({ users: 1, projects: 1, memberships: 1 })

    const again = (await (await post({ token: await sign(), hostOrigin: HOST })).json()) as Record<string, any>
    expect(again).toMatchObject({ user: { id: body.user.id }, created: { user: false, project: false } })
  })

  it('answers CORS only for registered origins, and preflight', async () => {
    const { post, sign } = await exchangeSetup(createMemoryStore())
    const token = await sign()
    const allowed = await post({ token, hostOrigin: HOST }, { headers: { origin: HOST } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe(HOST)
    const other = await post({ token: await sign(), hostOrigin: HOST }, { headers: { origin: 'https://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await post(undefined, { method: 'OPTIONS', headers: { origin: HOST } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST')
  })

  it.each([
    [
      'wrong content type',
      { headers: { 'content-type': 'text/plain' } },
      '{"token":"x","hostOrigin":"http://localhost:5173"}',
      400,
      'REQUEST_INVALID',
      /Content-Type must be application\/json/,
    ],
    ['not JSON', {}, '{token', 400, 'REQUEST_INVALID', /not valid JSON/],
    ['a JSON array', {}, '[1]', 400, 'REQUEST_INVALID', /JSON object/],
    ['no token', {}, { hostOrigin: HOST }, 400, 'REQUEST_INVALID', /no "token"/],
    ['a token that is not a string', {}, { token: 42, hostOrigin: HOST }, 400, 'REQUEST_INVALID', /no "token"/],
    ['no hostOrigin', {}, { token: 'a.b.c' }, 400, 'REQUEST_INVALID', /no "hostOrigin"/],
    ['a body over 16 KiB', {}, JSON.stringify({ token: 'x'.repeat(17 * 1024), hostOrigin: HOST }), 400, 'REQUEST_INVALID', /over 16384/],
    ['a malformed token', {}, { token: 'not-a-jwt', hostOrigin: HOST }, 401, 'TOKEN_MALFORMED', /3 parts/],
    ['GET', { method: 'GET' }, undefined, 405, 'REQUEST_INVALID', /Use POST/],
    ['another path', { path: '/api/embed/other' }, {}, 404, 'REQUEST_INVALID', /No such endpoint/],
  ] as const)('%s → %i %s, and nothing is written', async (_, init, body, status, code, message) => {
    const store = createMemoryStore()
    const { post } = await exchangeSetup(store)
    const response = await post(body, init as never)
    expect(response.status).toBe(status)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const json = (await response.json()) as { error: { code: string; message: string } }
    expect(json.error.code).toBe(code)
    expect(json.error.message).toMatch(message)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await snapshot(store)).toEqual({ users: 0, projects: 0, memberships: 0 })
  })

  it("keeps the verifier's codes: 401 with the claim, 403 ORIGIN_NOT_ALLOWED; nothing written, jti not used up", async () => {
    const store = createMemoryStore()
    const { post, sign } = await exchangeSetup(store)
    const bad = await post({ token: await sign({ role: 'OWNER' }), hostOrigin: HOST })
    expect(bad.status).toBe(401)
    expect(await bad.json()).toEqual({ error: { code: 'CLAIM_INVALID', message: expect.stringContaining('"role"'), claim: 'role' } })
    const token = await sign()
    const foreign = await post({ token, hostOrigin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED')
    expect(await snapshot(store)).toEqual({ users: 0, projects: 0, memberships: 0 })
    // the refused token's jti was not recorded: the same token still works from the right origin
    expect((await post({ token, hostOrigin: HOST })).status).toBe(200)
  })

  it('TOKEN_REPLAYED: a token exchanged twice, also when the two uses race', async () => {
    const store = createMemoryStore()
    const { post, sign } = await exchangeSetup(store)
    const token = await sign()
    const results = await Promise.all(Array.from({ length: 10 }, () => post({ token, hostOrigin: HOST })))
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(401)])
    const codes = await Promise.all(results.filter((r) => r.status === 401).map(async (r) => ((await r.json()) as { error: { code: string } }).error.code))
    expect(new Set(codes)).toEqual(new Set(['TOKEN_REPLAYED']))
  })

  it('a store failure is a 500 EXCHANGE_FAILED reported to onError, with no details leaked', async () => {
    const store = createMemoryStore()
    const { verifier, sessions, sign } = await exchangeSetup(store)
    const errors: unknown[] = []
    const broken: EmbedStore = { ...store, transaction: async () => Promise.reject(new Error('connection refused')) }
    const handler = createEmbedHandler({ verifier, store: broken, sessions, onError: (e) => errors.push(e) })
    const response = await handler(exchangeRequest(await sign()))
    expect(response.status).toBe(500)
    expect(JSON.stringify(await response.json())).not.toContain('connection refused')
    expect(errors).toHaveLength(1)
  })

  it('after a 500 the token is not spent: the same token signs in once the store is back', async () => {
    const store = createMemoryStore()
    const { verifier, sessions, sign } = await exchangeSetup(store)
    let down = true
    const flaky: EmbedStore = {
      ...store,
      transaction: (account, fn) => (down ? Promise.reject(new Error('connection refused')) : store.transaction(account, fn)),
    }
    const handler = createEmbedHandler({ verifier, store: flaky, sessions, onError: () => {} })
    const token = await sign()
    const post = () => handler(exchangeRequest(token))
    expect((await post()).status).toBe(500)
    down = false
    expect((await post()).status).toBe(200)
    // and once it succeeded, the token is spent as before
    expect(((await (await post()).json()) as { error: { code: string } }).error.code).toBe('TOKEN_REPLAYED')
  })

  it('a failure opening the session undoes the sign-in: 500, nothing written, the token not spent', async () => {
    const store = createMemoryStore()
    const { verifier, sessions, sign } = await exchangeSetup(store)
    let failing = true
    const flaky = {
      ...sessions,
      open: (...args: Parameters<typeof sessions.open>) => (failing ? Promise.reject(new Error('no entropy')) : sessions.open(...args)),
    }
    const handler = createEmbedHandler({ verifier, store, sessions: flaky, onError: () => {} })
    const token = await sign()
    const post = () => handler(exchangeRequest(token))
    expect((await post()).status).toBe(500)
    expect(await snapshot(store)).toEqual({ users: 0, projects: 0, memberships: 0 })
    failing = false
    expect((await post()).status).toBe(200)
  })

  it('a failure after the sign-in committed (building the cookie) is a 500 and keeps the token spent', async () => {
    const store = createMemoryStore()
    const { verifier, sessions, sign } = await exchangeSetup(store)
    let failing = true
    const flaky = {
      ...sessions,
      cookie: (...args: Parameters<typeof sessions.cookie>) => {
        if (failing) throw new Error('no cookie')
        return sessions.cookie(...args)
      },
    }
    const handler = createEmbedHandler({ verifier, store, sessions: flaky, onError: () => {} })
    const token = await sign()
    const post = () => handler(exchangeRequest(token))
    expect((await post()).status).toBe(500)
    failing = false
    expect(((await (await post()).json()) as { error: { code: string } }).error.code).toBe('TOKEN_REPLAYED')
  })

  it('an onError that throws changes no answer (the throw is logged)', async () => {
    const store = createMemoryStore()
    const { verifier, sessions, sign } = await exchangeSetup(store)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const handler = createEmbedHandler({
      verifier,
      store,
      sessions,
      onExchange: () => {
        throw new Error('audit log down')
      },
      onError: (error) => {
        throw error
      },
    })
    const response = await handler(exchangeRequest(await sign()))
    expect(response.status).toBe(200)
    expect(logged).toHaveBeenCalledWith('sso-embed: a handler hook threw', expect.objectContaining({ message: 'audit log down' }))
    logged.mockRestore()
  })

  it('frameAncestors gives the CSP of the registered origins, refusing anything that is not an origin', () => {
    expect(frameAncestors([HOST, 'https://app.example.com'])).toBe("frame-ancestors 'self' http://localhost:5173 https://app.example.com")
    expect(() => frameAncestors(['*'])).toThrow(TypeError)
  })

  it("originsForAccount gives one account's origins only, each once (the embed page of that account)", async () => {
    const [a, b, c] = await Promise.all([generateSigningKey({ alg: 'ES256' }), generateSigningKey({ alg: 'ES256' }), generateSigningKey({ alg: 'ES256' })])
    const keys = [
      importPublicKey(a.publicPem, { account: 'acme', origins: ['https://a.example', 'https://b.example'] }),
      importPublicKey(b.publicPem, { account: 'acme', origins: ['https://b.example'] }),
      importPublicKey(c.publicPem, { account: 'globex', origins: ['https://globex.example'] }),
    ]
    expect(originsForAccount(keys, 'acme')).toEqual(['https://a.example', 'https://b.example'])
    expect(originsForAccount(keys, 'globex')).toEqual(['https://globex.example'])
    expect(originsForAccount(keys, 'nobody')).toEqual([])
  })
})

describe('GET /api/embed/session and /api/embed/storage-access', () => {
  it('answers the session of the cookie or bearer (what a reloaded frame resumes with), 401 without one', async () => {
    const store = createMemoryStore()
    const { post, sign, handler } = await exchangeSetup(store)
    const exchanged = await post({ token: await sign(), hostOrigin: HOST })
    const body = (await exchanged.json()) as Record<string, any>
    const cookie = exchanged.headers.get('set-cookie')!.split(';')[0]!
    const bound = { [HOST_ORIGIN_HEADER]: HOST }
    const resumed = await handler(new Request('http://p/api/embed/session', { headers: { cookie, ...bound } }))
    expect(resumed.status).toBe(200)
    expect(resumed.headers.get('cache-control')).toBe('no-store')
    expect(await resumed.json()).toEqual({
      user: body.user,
      project: body.project,
      account: 'acme',
      expiresAt: body.expiresAt,
      sessionToken: body.sessionToken,
    })
    const bearer = await handler(new Request('http://p/api/embed/session', { headers: { authorization: `Bearer ${body.sessionToken}`, ...bound } }))
    expect(bearer.status).toBe(200)
    // the session is bound to its host origin: another one, or none stated, is refused
    for (const headers of [{ cookie, [HOST_ORIGIN_HEADER]: 'https://evil.example' }, { cookie }]) {
      const refused = await handler(new Request('http://p/api/embed/session', { headers }))
      expect(refused.status).toBe(401)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SESSION_INVALID')
    }
    const none = await handler(new Request('http://p/api/embed/session', { headers: bound }))
    expect(none.status).toBe(401)
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('SESSION_INVALID')
  })

  it('serves the popup page of the storage-access flow, never framed', async () => {
    const { handler } = await exchangeSetup(createMemoryStore())
    const page = await handler(new Request('http://p/api/embed/storage-access'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    expect(await page.text()).toContain('Allow and close')
  })
})

describe('quiet errors: an anonymous caller learns the code, never what is registered', async () => {
  const { platformSetup, ap } = await import('../../test/platform')
  const { signRaw } = await import('../../test/fixtures')
  const ACME = 'https://app.acme.example'
  const store = createMemoryStore()
  const rejected: Array<{ code: string; message: string }> = []
  const platform = await platformSetup(store, [{ account: 'acme', origin: ACME }], { onRejected: (error) => rejected.push(error) })
  const host = platform.hosts[0]!
  const registered = [host.key.kid, ACME, 'acme', 'ES256']
  const stranger = await generateSigningKey({ alg: 'RS256' })

  it.each([
    ['an unknown kid', () => host.sign(ap(), { kid: 'guess-1' }), 'BAD_SIGNATURE', 'UNKNOWN_KEY'],
    [
      'the registered kid with another algorithm',
      async () => signRaw({ alg: 'RS256', kid: host.key.kid }, { ...ap(), exp: Math.floor(Date.now() / 1000) + 60 }, stranger.privatePem),
      'BAD_SIGNATURE',
      'ALG_NOT_ALLOWED',
    ],
    [
      'an algorithm no key is registered for',
      async () => signRaw({ alg: 'RS256' }, { ...ap(), exp: Math.floor(Date.now() / 1000) + 60 }, stranger.privatePem),
      'BAD_SIGNATURE',
      'ALG_NOT_ALLOWED',
    ],
    [
      'a bad signature under the registered kid',
      async () =>
        signRaw(
          { alg: 'ES256', kid: host.key.kid },
          { ...ap(), exp: Math.floor(Date.now() / 1000) + 60 },
          (await generateSigningKey({ alg: 'ES256' })).privatePem,
          'ES256',
        ),
      'BAD_SIGNATURE',
      'BAD_SIGNATURE',
    ],
  ])('%s → %s with a message that names no kid, origin or algorithm; the detail goes to onRejected', async (_, token, publicCode, detailCode) => {
    const response = await platform.exchange(await token(), ACME)
    expect(response.status).toBe(401)
    const text = await response.text()
    expect(JSON.parse(text).error.code).toBe(publicCode)
    for (const secret of [...registered, 'RS256']) expect(text).not.toContain(secret)
    expect(rejected.at(-1)).toMatchObject({ code: detailCode })
  })

  it('an unregistered origin → 403 ORIGIN_NOT_ALLOWED without the registered origins; onRejected has them', async () => {
    const response = await platform.exchange(await host.sign(ap()), 'https://evil.example')
    expect(response.status).toBe(403)
    const text = await response.text()
    expect(JSON.parse(text).error.code).toBe('ORIGIN_NOT_ALLOWED')
    for (const secret of registered) expect(text).not.toContain(secret)
    expect(rejected.at(-1)!.message).toContain(ACME)
  })

  it('"none" or HS256 is ALG_NOT_ALLOWED: what sso-embed never accepts is no secret', async () => {
    const response = await platform.exchange(`${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`, ACME)
    expect(await response.json()).toMatchObject({ error: { code: 'ALG_NOT_ALLOWED', claim: 'alg' } })
  })
})

describe('a platform hook that fails', () => {
  it('origins() that throws: a coded 500 for the caller, the error to onError, nothing written', async () => {
    const store = createMemoryStore()
    const onError = vi.fn()
    const failure = new Error('origin registry unreachable')
    const { post, sign } = await exchangeSetup(store, 'acme', {
      origins: () => {
        throw failure
      },
      onError,
    })
    const response = await post({ token: await sign(), hostOrigin: HOST }, { headers: { origin: HOST } })
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: { code: 'EXCHANGE_FAILED', message: 'The exchange failed on the platform; try again.' } })
    expect(onError).toHaveBeenCalledWith(failure)
    expect(await store.users()).toEqual([])
  })
})
