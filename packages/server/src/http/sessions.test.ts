// Platform sessions on their own: what verifySession accepts with and without the host-origin header,
// and the tokens it refuses before reading the store (tampered, another platform's, expired).
import { HOST_ORIGIN_HEADER } from '@sso-embed/protocol'
import { describe, expect, it } from 'vitest'
import { ap, platformSetup, SECRET } from '../../test/platform'
import { createMemoryStore } from '../store/memory'
import { createSessions, verifySession } from './sessions'

const ACME = 'https://app.acme.example'
const store = createMemoryStore()
const platform = await platformSetup(store, [{ account: 'acme', origin: ACME }])
const signIn = async () => ((await (await platform.exchange(await platform.hosts[0]!.sign(ap()), ACME)).json()) as { sessionToken: string }).sessionToken

describe("verifySession (the platform's own API)", () => {
  it('checks the binding when the frame states the host origin, and accepts a request without it unless told not to', async () => {
    const token = await signIn()
    const bearer = { authorization: `Bearer ${token}` }
    expect(await verifySession({ ...bearer, [HOST_ORIGIN_HEADER]: ACME }, platform.sessions)).toMatchObject({ account: 'acme', hostOrigin: ACME })
    await expect(verifySession({ ...bearer, [HOST_ORIGIN_HEADER]: 'https://evil.example' }, platform.sessions)).rejects.toMatchObject({
      code: 'SESSION_INVALID',
      reason: 'origin',
    })
    expect((await verifySession(bearer, platform.sessions)).hostOrigin).toBe(ACME)
    await expect(verifySession(bearer, platform.sessions, { requireHostOrigin: true })).rejects.toMatchObject({ code: 'SESSION_INVALID' })
    await expect(verifySession(new Headers(), platform.sessions)).rejects.toMatchObject({ code: 'SESSION_INVALID', reason: 'missing' })
  })

  it("refuses a tampered token, another platform's, and an expired one (SESSION_EXPIRED)", async () => {
    const token = await signIn()
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`
    await expect(platform.sessions.verify(tampered)).rejects.toMatchObject({ code: 'SESSION_INVALID', reason: 'forged' })
    await expect(createSessions({ secret: 'y'.repeat(32), store }).verify(token)).rejects.toMatchObject({ code: 'SESSION_INVALID', reason: 'forged' })
    const later = createSessions({ secret: SECRET, store, now: () => Date.now() + 9 * 3600_000 })
    await expect(later.verify(token)).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    expect(() => createSessions({ secret: 'short', store })).toThrow(/at least 32 bytes/)
    expect(() => createSessions({ secret: SECRET } as never)).toThrow(/store is required/)
  })

  it('end() ends the session once (logout), and is idempotent', async () => {
    const token = await signIn()
    expect(await platform.sessions.end(token)).toBe(true)
    expect(await platform.sessions.end(token)).toBe(false)
    expect(await platform.sessions.end('junk')).toBe(false)
    await expect(platform.sessions.verify(token)).rejects.toMatchObject({ reason: 'ended' })
  })
})

describe('logout', () => {
  it('ends for good a session refused only because its key is not registered right now (it does not come back with the key)', async () => {
    const token = await signIn()
    const removed = platform.keys.list.shift()!
    try {
      expect((await platform.logout(token, ACME)).status).toBe(204)
    } finally {
      platform.keys.list.unshift(removed)
    }
    await expect(platform.sessions.verify(token, { hostOrigin: ACME })).rejects.toMatchObject({ reason: 'ended' })
  })

  it('does not end a session bound to another host page', async () => {
    const token = await signIn()
    expect((await platform.logout(token, 'https://evil.example')).status).toBe(401)
    expect((await platform.sessions.verify(token, { hostOrigin: ACME })).hostOrigin).toBe(ACME)
  })
})
