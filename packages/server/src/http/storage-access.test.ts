import { describe, expect, it } from 'vitest'
import { exchangeSetup, HOST, PLATFORM } from '../../test/exchange'
import { createMemoryStore } from '../store/memory'
import { requestedStoragePolicy, storageAccessHeaders, storageAccessRetry, storageAccessStatus, varyOnStorageAccess } from './storage-access'

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
    expect(storageAccessHeaders(navigation('inactive'), 'require')).toEqual({
      vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode',
      'activate-storage-access': 'load',
    })
    // already active (after a retry, or the engine applied the grant itself): load is harmless and keeps it
    expect(storageAccessHeaders(new Request(PLATFORM, { headers: navigation('active') }), 'require')).toEqual({
      vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode',
      'activate-storage-access': 'load',
    })
  })

  it('never asks to activate what the user did not grant, nor on a request that is not a navigation', () => {
    expect(storageAccessHeaders(navigation('none'), 'require')).toEqual({ vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode' })
    expect(storageAccessHeaders(navigation(), 'require')).toEqual({ vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode' }) // Safari, older engines
    expect(storageAccessHeaders(navigation('bogus'), 'require')).toEqual({ vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode' })
    expect(storageAccessHeaders({ 'sec-fetch-mode': 'cors', 'sec-fetch-storage-access': 'inactive' }, 'require')).toEqual({
      vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode',
    })
    expect(storageAccessHeaders({ 'sec-fetch-storage-access': 'inactive' }, 'require')).toEqual({ vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode' })
  })

  it("never activates for an embed that runs the 'auto' policy: it keeps to its own partitioned session", () => {
    expect(storageAccessHeaders(navigation('inactive'), 'auto')).toEqual({ vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode' })
    expect(storageAccessHeaders(navigation('active'), 'auto')).toEqual({ vary: 'Sec-Fetch-Storage-Access, Sec-Fetch-Mode' })
  })

  it('reads the policy the host asked for from the iframe URL (?storage=require); anything else is auto', () => {
    expect(requestedStoragePolicy('/embed/?account=acme&storage=require')).toBe('require')
    expect(requestedStoragePolicy(new URL('https://platform.example/embed/?storage=require'))).toBe('require')
    expect(requestedStoragePolicy('/embed/?account=acme')).toBe('auto')
    expect(requestedStoragePolicy('/embed/?storage=REQUIRE')).toBe('auto')
    expect(requestedStoragePolicy('/embed/?storage=auto&storage=require')).toBe('auto') // the first one counts
  })

  it("the platform's own policy wins over the URL, as it does in the frame", () => {
    expect(requestedStoragePolicy('/embed/?storage=require', 'auto')).toBe('auto')
    expect(requestedStoragePolicy('/embed/', 'require')).toBe('require')
  })

  it('merges Vary with one the platform already sends', () => {
    expect(varyOnStorageAccess(undefined)).toBe('Sec-Fetch-Storage-Access, Sec-Fetch-Mode')
    expect(varyOnStorageAccess('Accept-Encoding')).toBe('Accept-Encoding, Sec-Fetch-Storage-Access, Sec-Fetch-Mode')
    expect(varyOnStorageAccess('accept-encoding, sec-fetch-storage-access, sec-fetch-mode')).toBe('accept-encoding, sec-fetch-storage-access, sec-fetch-mode')
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
    const { post, sign } = await exchangeSetup(store, 'acme', { activateStorageAccess: true })
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

  it('signs in as usual for an origin it does not allow, the frame itself (same origin), no grant, or without the option (the default)', async () => {
    const on = { activateStorageAccess: true }
    const cases: Array<[Record<string, string>, Parameters<typeof exchangeSetup>[2]?]> = [
      [{ origin: 'https://evil.example', 'sec-fetch-storage-access': 'inactive' }, on],
      [{ origin: PLATFORM, 'sec-fetch-storage-access': 'inactive' }, on],
      [{ origin: HOST, 'sec-fetch-storage-access': 'none' }, on],
      [{ origin: HOST, 'sec-fetch-storage-access': 'inactive' }],
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
