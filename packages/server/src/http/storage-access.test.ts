import { describe, expect, it } from 'vitest'
import { exchangeSetup, HOST, PLATFORM } from '../../test/exchange'
import { createMemoryStore } from '../store/memory'
import { storageAccessHeaders, storageAccessRetry, storageAccessStatus, varyOnStorageAccess } from './storage-access'

const navigation = (status?: string, extra: Record<string, string> = {}) => ({
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'iframe',
  ...(status !== undefined && { 'sec-fetch-storage-access': status }),
  ...extra,
})

describe('storageAccessStatus', () => {
  it('reads the three values from a Request, Headers or Node headers; anything else is no status', () => {
    expect(storageAccessStatus(new Request(PLATFORM, { headers: { 'Sec-Fetch-Storage-Access': 'inactive' } }))).toBe('inactive')
    expect(storageAccessStatus(new Headers({ 'sec-fetch-storage-access': 'active' }))).toBe('active')
    expect(storageAccessStatus({ 'sec-fetch-storage-access': 'none' })).toBe('none')
    expect(storageAccessStatus({})).toBeUndefined()
    expect(storageAccessStatus({ 'sec-fetch-storage-access': 'granted' })).toBeUndefined()
    // sent twice (Node gives an array only for some headers; a list is never one status)
    expect(storageAccessStatus({ 'sec-fetch-storage-access': ['inactive', 'active'] })).toBeUndefined()
  })
})

describe('storageAccessHeaders (the embed page)', () => {
  it('activates a granted, inactive storage access on a navigation (load), and varies on the status', () => {
    expect(storageAccessHeaders(navigation('inactive'))).toEqual({ vary: 'Sec-Fetch-Storage-Access', 'activate-storage-access': 'load' })
    // already active (after a retry, or the engine applied the grant itself): load is harmless and keeps it
    expect(storageAccessHeaders(new Request(PLATFORM, { headers: navigation('active') }))).toEqual({
      vary: 'Sec-Fetch-Storage-Access',
      'activate-storage-access': 'load',
    })
  })

  it('never asks to activate what the user did not grant, nor on a request that is not a navigation', () => {
    expect(storageAccessHeaders(navigation('none'))).toEqual({ vary: 'Sec-Fetch-Storage-Access' })
    expect(storageAccessHeaders(navigation())).toEqual({ vary: 'Sec-Fetch-Storage-Access' }) // Safari, older engines
    expect(storageAccessHeaders(navigation('bogus'))).toEqual({ vary: 'Sec-Fetch-Storage-Access' })
    expect(storageAccessHeaders({ 'sec-fetch-mode': 'cors', 'sec-fetch-storage-access': 'inactive' })).toEqual({ vary: 'Sec-Fetch-Storage-Access' })
    expect(storageAccessHeaders({ 'sec-fetch-storage-access': 'inactive' })).toEqual({ vary: 'Sec-Fetch-Storage-Access' })
  })

  it('merges Vary with one the platform already sends', () => {
    expect(varyOnStorageAccess(undefined)).toBe('Sec-Fetch-Storage-Access')
    expect(varyOnStorageAccess('Accept-Encoding')).toBe('Accept-Encoding, Sec-Fetch-Storage-Access')
    expect(varyOnStorageAccess('accept-encoding, sec-fetch-storage-access')).toBe('accept-encoding, sec-fetch-storage-access')
    expect(varyOnStorageAccess('*')).toBe('*')
  })
})

describe('storageAccessRetry', () => {
  const allowed = [HOST]
  it('answers retry only for an inactive status from an allowed Origin, naming that origin', () => {
    expect(storageAccessRetry({ origin: HOST, 'sec-fetch-storage-access': 'inactive' }, allowed)).toBe(`retry; allowed-origin="${HOST}"`)
  })
  it.each([
    ['another origin (never reflected)', { origin: 'https://evil.example', 'sec-fetch-storage-access': 'inactive' }],
    ['an origin that only starts like an allowed one', { origin: `${HOST}.evil.example`, 'sec-fetch-storage-access': 'inactive' }],
    ['Origin null (sandboxed, file:, redirects)', { origin: 'null', 'sec-fetch-storage-access': 'inactive' }],
    ['no Origin', { 'sec-fetch-storage-access': 'inactive' }],
    ['no grant', { origin: HOST, 'sec-fetch-storage-access': 'none' }],
    ['already active', { origin: HOST, 'sec-fetch-storage-access': 'active' }],
    ['no status', { origin: HOST }],
  ])('no retry for %s', (_, headers) => {
    expect(storageAccessRetry(headers, allowed)).toBeUndefined()
  })
  it('an allow list of none (the default) never retries', () => {
    expect(storageAccessRetry({ origin: HOST, 'sec-fetch-storage-access': 'inactive' }, [])).toBeUndefined()
  })
})

describe('the exchange endpoint and Sec-Fetch-Storage-Access', () => {
  it('asks an allowed cross-origin caller with an inactive grant to retry, before its token is used', async () => {
    const store = createMemoryStore()
    const { post, sign } = await exchangeSetup(store)
    const token = await sign({ jti: 'once' })
    const first = await post({ token, hostOrigin: HOST }, { headers: { origin: HOST, 'sec-fetch-storage-access': 'inactive' } })
    expect(first.status).toBe(401)
    expect(first.headers.get('activate-storage-access')).toBe(`retry; allowed-origin="${HOST}"`)
    expect(first.headers.get('access-control-allow-origin')).toBe(HOST)
    expect(first.headers.get('vary')).toBe('Origin, Sec-Fetch-Storage-Access')
    expect(first.headers.get('set-cookie')).toBeNull()
    expect(await store.users()).toEqual([])
    // the browser's retry: the same request, access active — the single-use token was not spent by the first
    const retried = await post({ token, hostOrigin: HOST }, { headers: { origin: HOST, 'sec-fetch-storage-access': 'active' } })
    expect(retried.status).toBe(200)
    expect(retried.headers.get('activate-storage-access')).toBeNull()
    expect(retried.headers.get('vary')).toBe('Origin, Sec-Fetch-Storage-Access')
  })

  it('signs in as usual for an origin it does not allow, the frame itself (same origin), no grant, or with the option off', async () => {
    const cases: Array<[Record<string, string>, Parameters<typeof exchangeSetup>[2]?]> = [
      [{ origin: 'https://evil.example', 'sec-fetch-storage-access': 'inactive' }],
      [{ origin: PLATFORM, 'sec-fetch-storage-access': 'inactive' }],
      [{ origin: HOST, 'sec-fetch-storage-access': 'none' }],
      [{ origin: HOST, 'sec-fetch-storage-access': 'inactive' }, { activateStorageAccess: false }],
    ]
    for (const [headers, options] of cases) {
      const { post, sign } = await exchangeSetup(createMemoryStore(), 'acme', options)
      const response = await post({ token: await sign(), hostOrigin: HOST }, { headers })
      expect(response.status, JSON.stringify(headers)).toBe(200)
      expect(response.headers.get('activate-storage-access')).toBeNull()
    }
  })
})
