import { describe, expect, test } from 'vitest'
import { initialFrameState, isFrameFinal, reduceFrame, type FrameAction, type FrameState } from './machine'

const run = (...actions: FrameAction[]) => actions.reduce(reduceFrame, initialFrameState)
const started: FrameAction = { type: 'signInStarted' }

describe('frame state machine', () => {
  test('connecting → signingIn → signedIn, numbering each sign-in', () => {
    let state: FrameState = initialFrameState
    expect(state).toEqual({ status: 'connecting', turn: 0, signedInOnce: false })
    state = reduceFrame(state, started)
    expect(state).toEqual({ status: 'signingIn', turn: 1, signedInOnce: false })
    state = reduceFrame(state, { type: 'signedIn', turn: 1 })
    expect(state).toEqual({ status: 'signedIn', turn: 1, signedInOnce: true })
  })

  test('overlapping sign-ins: only the latest started may succeed or fail', () => {
    const two = run(started, started)
    expect(reduceFrame(two, { type: 'signedIn', turn: 1 })).toBe(two) // superseded
    expect(reduceFrame(two, { type: 'failed', turn: 1 })).toBe(two)
    expect(reduceFrame(two, { type: 'signedIn', turn: 2 }).status).toBe('signedIn')
  })

  test('a refresh keeps the session shown; its failure is not the end', () => {
    const signedIn = run(started, { type: 'signedIn', turn: 1 })
    const refreshing = reduceFrame(signedIn, started)
    expect(refreshing).toMatchObject({ status: 'signedIn', turn: 2 })
    const failed = reduceFrame(refreshing, { type: 'failed', turn: 2 })
    expect(failed.status).toBe('signedIn')
    expect(isFrameFinal(failed)).toBe(false)
  })

  test('a failure before the first sign-in: failed, and a later sign-in (a late storage grant) may still succeed', () => {
    const failed = run(started, { type: 'failed', turn: 1 })
    expect(failed.status).toBe('failed')
    expect(isFrameFinal(failed)).toBe(false)
    const retried = reduceFrame(failed, started)
    expect(retried).toMatchObject({ status: 'signingIn', turn: 2 })
    expect(reduceFrame(retried, { type: 'signedIn', turn: 2 })).toMatchObject({ status: 'signedIn', signedInOnce: true })
  })

  test('expired and signedOut after a sign-in; a new sign-in follows either', () => {
    const expired = run(started, { type: 'signedIn', turn: 1 }, { type: 'expired' })
    expect(expired.status).toBe('expired')
    expect(run(started, { type: 'signedIn', turn: 1 }, { type: 'signedOut' }).status).toBe('signedOut')
    expect(reduceFrame(reduceFrame(expired, started), { type: 'signedIn', turn: 2 }).status).toBe('signedIn')
  })

  test.each([[[]], [[started]], [[started, { type: 'signedIn', turn: 1 }]]] as FrameAction[][][])('destroy after %j is final', (before) => {
    const state = run(...before, { type: 'destroyed' })
    expect(state.status).toBe('destroyed')
    expect(isFrameFinal(state)).toBe(true)
    for (const action of [started, { type: 'signedIn', turn: state.turn }, { type: 'expired' }] as FrameAction[]) expect(reduceFrame(state, action)).toBe(state)
  })
})
