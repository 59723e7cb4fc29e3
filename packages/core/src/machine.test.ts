import { describe, expect, test } from 'vitest'
import type { AuthInfo, SignInKind } from '@sso-embed/protocol'
import { failedFirst, initialState, isFinal, reduce, type HostAction, type HostState } from './machine'

const ada: AuthInfo = { user: { id: 'ada' }, project: null, account: 'acme', expiresAt: 1 }
const bob: AuthInfo = { user: { id: 'bob' }, project: null, account: 'acme', expiresAt: 1 }
const run = (...actions: HostAction[]) => actions.reduce(reduce, initialState)
const signedIn = (auth: AuthInfo, how: SignInKind): HostAction => ({ type: 'signedIn', auth, how })
const greeted = (urlToken?: string): HostAction => ({ type: 'greeted', urlToken })
const handed = (document: number): HostAction => ({ type: 'tokenHandedOut', document })

/** The first sign-in, step by step (postMessage transport). */
const steps: [string, HostAction[]][] = [
  ['mounting', []],
  ['connecting (iframe mounted)', [{ type: 'mounted' }]],
  ['greeted', [{ type: 'mounted' }, greeted()]],
  ['token handed out', [{ type: 'mounted' }, greeted(), handed(1)]],
]

describe('host state machine: the first sign-in', () => {
  test('mounting → connecting → authenticating → ready, and the host knows the user', () => {
    let state = initialState
    expect(state.status).toBe('mounting')
    state = reduce(state, { type: 'mounted' })
    expect(state.status).toBe('connecting')
    state = reduce(state, greeted())
    expect(state).toMatchObject({ status: 'authenticating', documents: 1, allowed: { tokens: 0, url: false, resume: undefined } })
    state = reduce(state, handed(1))
    expect(state.allowed.tokens).toBe(1)
    state = reduce(state, signedIn(ada, 'token'))
    expect(state).toMatchObject({ status: 'ready', user: { userId: 'ada', account: 'acme' }, lastSignIn: 'accepted', allowed: { tokens: 0 } })
  })

  test.each(['token', 'refresh', 'url', 'resume'] as const)('a %s sign-in the host did not ask for is refused (the wrong user is never accepted)', (how) => {
    const state = run({ type: 'mounted' }, greeted(), signedIn(ada, how))
    expect(state).toMatchObject({ status: 'error', user: undefined, lastSignIn: 'refused' })
    expect(failedFirst(state)).toBe(true)
  })

  test('the URL token counts only for the first document and only if it is the token the host put there', () => {
    expect(run({ type: 'mounted', urlToken: 'T' }, greeted('T')).allowed.url).toBe(true)
    expect(run({ type: 'mounted', urlToken: 'T' }, greeted('forged')).allowed.url).toBe(false)
    expect(run({ type: 'mounted' }, greeted('T')).allowed.url).toBe(false) // postMessage: no URL token at all
    // a second document (a reload, a link) never signs in with a URL token, even the same one
    expect(run({ type: 'mounted', urlToken: 'T' }, greeted('T'), greeted('T')).allowed.url).toBe(false)
    expect(run({ type: 'mounted', urlToken: 'T' }, greeted('T'), signedIn(ada, 'url')).status).toBe('ready')
  })

  test.each(steps)('a reload at step "%s": the new document gets no resume (nobody signed in yet) and no tokens handed to the old one', (_, before) => {
    const state = run(...before, greeted())
    expect(state.allowed).toEqual({ tokens: 0, url: false, resume: undefined })
    // a stored session of another user that the new document would resume is refused
    expect(reduce(state, signedIn(ada, 'resume'))).toMatchObject({ status: 'error', lastSignIn: 'refused' })
    // the new document signs in with a token handed to it
    expect(reduce(reduce(state, handed(state.documents)), signedIn(bob, 'token'))).toMatchObject({ status: 'ready', user: { userId: 'bob' } })
  })

  test('a token handed to a document that is gone does not let the new one sign in', () => {
    const state = run({ type: 'mounted' }, greeted(), greeted(), handed(1))
    expect(state.allowed.tokens).toBe(0)
    expect(reduce(state, signedIn(ada, 'token')).lastSignIn).toBe('refused')
  })

  test.each(steps)('setToken at step "%s" moves to authenticating, never back from ready', (_, before) => {
    const state = reduce(run(...before), { type: 'authenticating' })
    expect(state.status).toBe('authenticating')
    const ready = run({ type: 'mounted' }, greeted(), handed(1), signedIn(ada, 'token'))
    expect(reduce(ready, { type: 'authenticating' }).status).toBe('ready')
  })

  test.each(steps)('destroy at step "%s" is final: nothing changes the state after it', (_, before) => {
    const state = run(...before, { type: 'destroyed' })
    expect(state.status).toBe('destroyed')
    expect(isFinal(state)).toBe(true)
    for (const action of [greeted(), handed(1), signedIn(ada, 'token'), { type: 'failed' } as const, { type: 'mounted' } as const]) {
      expect(reduce(state, action)).toBe(state)
    }
  })

  test('a failure before the first sign-in is an error; a sign-in the host asked for may still follow (a late storage grant)', () => {
    const failed = run({ type: 'mounted' }, greeted(), handed(1), { type: 'failed' })
    expect(failedFirst(failed)).toBe(true)
    expect(reduce(failed, signedIn(ada, 'token')).status).toBe('ready')
  })
})

describe('host state machine: after the first sign-in', () => {
  const ready: HostState = run({ type: 'mounted' }, greeted(), handed(1), signedIn(ada, 'token'))

  test('a reload lets the new document resume only the session of the same user (and account)', () => {
    const reloaded = reduce(ready, greeted())
    expect(reloaded.allowed.resume).toEqual({ userId: 'ada', account: 'acme' })
    expect(reduce(reloaded, signedIn(ada, 'resume'))).toMatchObject({ status: 'ready', lastSignIn: 'accepted' })
    expect(reduce(reloaded, signedIn(bob, 'resume'))).toMatchObject({ lastSignIn: 'refused', user: { userId: 'ada' } })
    expect(reduce(reloaded, signedIn({ ...ada, account: 'other' }, 'resume')).lastSignIn).toBe('refused')
    // a resume is good once: a second one in the same document is not asked for
    expect(reduce(reduce(reloaded, signedIn(ada, 'resume')), signedIn(ada, 'resume')).lastSignIn).toBe('refused')
  })

  test('a refresh needs a token handed out; setToken (another user) is accepted with its token', () => {
    expect(reduce(ready, signedIn(ada, 'refresh')).lastSignIn).toBe('refused')
    expect(reduce(reduce(ready, handed(1)), signedIn(ada, 'refresh')).lastSignIn).toBe('accepted')
    const switched = reduce(reduce(ready, handed(1)), signedIn(bob, 'token'))
    expect(switched).toMatchObject({ status: 'ready', user: { userId: 'bob' } })
  })

  test("an accepted sign-in uses up every token handed out before it (a retry's, a superseded one's)", () => {
    const twice = reduce(reduce(ready, handed(1)), handed(1))
    const after = reduce(twice, signedIn(ada, 'refresh'))
    expect(after.allowed.tokens).toBe(0)
    expect(reduce(after, signedIn(bob, 'token')).lastSignIn).toBe('refused')
  })

  test('a token queued by setToken() when a document greets: neither a resume nor the URL token is allowed', () => {
    expect(reduce(ready, { type: 'greeted', queued: true }).allowed.resume).toBeUndefined()
    expect(run({ type: 'mounted', urlToken: 'T' }, { type: 'greeted', urlToken: 'T', queued: true }).allowed.url).toBe(false)
  })

  test('a failure after the first sign-in is an event only: the state stays ready', () => {
    expect(reduce(ready, { type: 'failed' }).status).toBe('ready')
  })

  test('a refused sign-in after ready: error, the accepted user is kept, a later asked-for sign-in recovers', () => {
    const refused = reduce(ready, signedIn(bob, 'token'))
    expect(refused).toMatchObject({ status: 'error', user: { userId: 'ada' } })
    expect(failedFirst(refused)).toBe(false)
    expect(reduce(reduce(refused, handed(1)), signedIn(bob, 'token')).status).toBe('ready')
  })
})
