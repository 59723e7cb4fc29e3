import { describe, expect, test } from 'vitest'
import { changedOptions, EMBED_EVENTS } from './wrapper'

const base = { instanceUrl: 'https://platform.example/embed', token: 'a.b.c', ui: { hideSidebar: true } }

describe('changedOptions', () => {
  test('an equal object literal is no change; a changed value is an update', () => {
    expect(changedOptions(base, { ...base, ui: { hideSidebar: true } })).toEqual({ remount: false, changes: undefined })
    expect(changedOptions(base, { ...base, ui: { hideSidebar: false }, locale: 'fr' })).toEqual({
      remount: false,
      changes: { ui: { hideSidebar: false }, locale: 'fr' },
    })
  })

  test('a mount option that changes is a remount', () => {
    expect(changedOptions(base, { ...base, instanceUrl: 'https://other.example' }).remount).toBe(true)
    expect(changedOptions(base, { ...base, storage: 'require' }).remount).toBe(true)
  })

  test('another container element is a remount, even though two elements serialise alike', () => {
    const a = document.createElement('div')
    const b = document.createElement('div')
    expect(changedOptions({ ...base, container: a }, { ...base, container: b }).remount).toBe(true)
    expect(changedOptions({ ...base, container: a }, { ...base, container: a }).remount).toBe(false)
  })

  test('EMBED_EVENTS lists every event', () => {
    expect([...EMBED_EVENTS].sort()).toEqual([
      'authenticated',
      'error',
      'navigate',
      'ready',
      'resize',
      'sessionExpired',
      'signedOut',
      'storageAccess',
      'tokenExpired',
    ])
  })
})
