import { afterEach, describe, expect, test } from 'vitest'
import { takeTokenFromUrl } from './url-token'
import { currentPath } from './navigation'

const go = (url: string) => history.replaceState(null, '', url)
afterEach(() => go('/'))

describe('takeTokenFromUrl', () => {
  test('takes ?sso_token= and removes it, keeping the rest of the URL', () => {
    go('/embed/flows?a=1&sso_token=abc.def.ghi&b=2#top')
    const length = history.length
    expect(takeTokenFromUrl()).toBe('abc.def.ghi')
    expect(location.pathname + location.search + location.hash).toBe('/embed/flows?a=1&b=2#top')
    expect(history.length).toBe(length) // replaced, not pushed
  })

  test('leaves a URL without a token exactly as it was (no re-encoded query)', () => {
    go('/embed/search?q=a%20b&flag')
    expect(takeTokenFromUrl()).toBeUndefined()
    expect(location.pathname + location.search).toBe('/embed/search?q=a%20b&flag')
  })

  test('takes #sso_token= alone or after a hash route', () => {
    go('/embed/#sso_token=abc.def.ghi')
    expect(takeTokenFromUrl()).toBe('abc.def.ghi')
    expect(location.href).toBe(`${location.origin}/embed/`)
    go('/embed/#/flows&sso_token=abc.def.ghi')
    expect(takeTokenFromUrl()).toBe('abc.def.ghi')
    expect(location.hash).toBe('#/flows')
  })

  test('returns undefined and leaves the URL alone when there is no token', () => {
    go('/embed/flows?x=sso_token#y')
    expect(takeTokenFromUrl()).toBeUndefined()
    expect(location.pathname + location.search + location.hash).toBe('/embed/flows?x=sso_token#y')
  })
})

describe('currentPath', () => {
  test('is relative to basePath and keeps query and hash', () => {
    go('/embed/flows/42?tab=runs#log')
    expect(currentPath('/embed')).toBe('/flows/42?tab=runs#log')
    go('/embed')
    expect(currentPath('/embed')).toBe('/')
    go('/other')
    expect(currentPath('/embed')).toBe('/other')
    go('/embedded/x')
    expect(currentPath('/embed')).toBe('/embedded/x')
    go('/flows?a=1')
    expect(currentPath('')).toBe('/flows?a=1')
  })
})
