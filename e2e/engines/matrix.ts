// The cross-engine matrix: for one engine, every cookie mode × (sign-in with the postMessage and query
// transports; a reload of the frame; the `require` flow), over HTTPS on two sites. The storage status the
// frame reports is checked against what the test itself observes of cookies in that frame and at top
// level on the platform's site; each normal sign-in's console must stay clean. The platform serves the
// Storage Access Headers on its embed page (storage-access-front.ts); what the engine sends is recorded,
// and where a mode says so the `require` flow also runs against the platform without them. Each file
// records its cells for the support table (scripts/support-table.mjs).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createEmbedHandler, createMemoryStore, createSessions, createVerifier, importPublicKey, toNodeListener } from '@sso-embed/server'
import { playgroundProfile } from '../../playground/profile'
import { mountInPage, startStack, type MountOptions, type MountResult, type Stack } from '../harness'
import { until, type CookieMode, type Engine, type EnginePage } from './driver'
import { startStorageAccessFront, type StorageAccessFront } from './storage-access-front'
import { makeTestCertificate } from './tls'

type Event = { type: string; [key: string]: unknown }

/** What the `require` flow does in a mode, as this engine allows it (see docs/third-party-cookies.md). */
export interface RequireExpectation {
  /** The `storageAccess` steps the host hears, in order, after the measured status (none when access is there from the start). */
  steps: string[]
  /** `ready`: signed in with working first-party cookies; else the error code of `embed.ready`. */
  outcome: 'ready' | 'STORAGE_ACCESS_DENIED'
  /** Why, when automation cannot do what a user would (e.g. answer the browser's own prompt). */
  because?: string
}

/** A `Sec-Fetch-Storage-Access` value as the engine sends it; `null`: it sends none. */
type StorageAccessHeader = 'none' | 'inactive' | 'active' | null

/**
 * What the engine sends the platform (`Sec-Fetch-Storage-Access`) in a `storage: 'auto'` embed, as
 * observed on the platform's side. The embed page never activates a grant there (`auto` keeps to the
 * embed's own session): an `inactive` navigation is followed by an `inactive` exchange.
 */
export interface HeaderExpectation {
  /** On the frame's navigation to the embed page. */
  navigation: StorageAccessHeader
  /** On the frame's exchange request. */
  exchange: StorageAccessHeader
}

export type ModeExpectations = Record<
  string,
  {
    /** The `require` flow with the platform serving the Storage Access Headers. */
    require: RequireExpectation
    headers: HeaderExpectation
    /** The `require` flow against a platform that does not serve them (where that differs: a grant the headers would activate). */
    withoutHeaders?: RequireExpectation
    /**
     * A host's own exchange (a CORS `fetch` from the host page, credentials included) to an endpoint that
     * lists the host in its `origins`: each `Sec-Fetch-Storage-Access` the browser sent, in order — two
     * when the endpoint's `Activate-Storage-Access: retry` made it send the request again.
     */
    hostExchange: StorageAccessHeader[]
  }
>

/** Cells written for the support table. */
interface Cell {
  mode: string
  label: string
  status?: string
  observed?: string
  reload?: string
  require?: string
  /** `Sec-Fetch-Storage-Access` on the frame's navigation and exchange, and the platform's answer. */
  headers?: string
  requireWithoutHeaders?: string
  hostExchange?: string
}

/** Collects console errors and warnings in each page the servers send (WebKit's driver has no console access). */
const CONSOLE_COLLECTOR = `<script>(function(){var n=window.__consoleNoise=[];['error','warn'].forEach(function(k){var o=console[k];console[k]=function(){n.push(k+': '+[].map.call(arguments,String).join(' '));return o.apply(console,arguments)}});addEventListener('error',function(e){n.push('pageerror: '+e.message)});addEventListener('unhandledrejection',function(e){n.push('unhandledrejection: '+String(e.reason&&e.reason.message||e.reason))})})()</script>`

/** Counts `document.requestStorageAccess()` calls in each page (`window.__requestStorageAccessCalls`). */
const STORAGE_ACCESS_COUNTER = `<script>(function(){var d=Document.prototype,o=d.requestStorageAccess;window.__requestStorageAccessCalls=0;if(o)d.requestStorageAccess=function(){window.__requestStorageAccessCalls++;return o.apply(this,arguments)}})()</script>`

const storageSteps = (events: Event[]) => events.filter((e) => e.type === 'storageAccess').map((e) => String(e['status']))

export function engineMatrix(modes: CookieMode[], makeEngine: () => Engine, expectations: ModeExpectations): void {
  let engine: Engine
  let stack: Stack
  /** The platform with the Storage Access Headers on its embed page: the one every cell uses. */
  let front: StorageAccessFront
  const cells = new Map<string, Cell>()
  const started = Date.now()

  beforeAll(async () => {
    engine = makeEngine()
    const tls = makeTestCertificate()
    stack = await startStack({ tls, head: CONSOLE_COLLECTOR + STORAGE_ACCESS_COUNTER })
    // a second exchange endpoint on the platform's site, with the host among its CORS origins
    const store = createMemoryStore()
    const corsExchange = createEmbedHandler({
      verifier: createVerifier({
        keys: [importPublicKey(stack.key.publicPem, { kid: stack.key.kid, origins: [stack.host.origin], account: 'acme' })],
        profile: playgroundProfile,
      }),
      store,
      sessions: createSessions({ secret: crypto.getRandomValues(new Uint8Array(32)), store }),
      origins: [stack.host.origin],
      activateStorageAccess: true, // a platform whose exchange route uses the user's own login (opt-in)
      basePath: '/cors',
    })
    front = await startStorageAccessFront(stack.platform.origin, tls, { '/cors/exchange': toNodeListener(corsExchange) })
  })
  afterAll(async () => {
    const version = await engine.version().catch(() => engine.name)
    await engine.close()
    await front?.close()
    await stack?.close()
    const dir = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'engines')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, `${engine.name}.json`),
      JSON.stringify({ engine: engine.name, version, seconds: Math.round((Date.now() - started) / 1000), cells: [...cells.values()] }, null, 2),
    )
  })

  const cell = (mode: CookieMode) => cells.get(mode.id) ?? cells.set(mode.id, { mode: mode.id, label: mode.label }).get(mode.id)!

  /** A page of the host; its embed comes from `platform` (default: the platform with the headers). */
  async function open(mode: CookieMode, platform = front.origin): Promise<EnginePage & { platform: string }> {
    const page = await engine.open(mode, { host: `${stack.host.origin}/?manual`, platform })
    await until(() => page.host(() => ('ssoEmbed' in window ? true : undefined), null), 'the host page')
    return Object.assign(page, { platform })
  }
  const mount = (page: EnginePage & { platform: string }, options: MountOptions) =>
    page.host(mountInPage, { instanceUrl: `${page.platform}/embed`, ...options }) as Promise<MountResult>
  const events = (page: EnginePage) => page.host(() => (window as unknown as { embeds: { main: { events: Event[] } } }).embeds.main.events, null)
  const tokenCalls = (page: EnginePage) => page.host(() => (window as unknown as { embeds: { main: { tokenCalls: number } } }).embeds.main.tokenCalls, null)
  /** The page's own console collector (every engine) plus the driver's console (Chromium, Firefox). */
  const noise = async (page: EnginePage) => [
    ...(await page.noise()),
    ...(await page.host(() => (window as unknown as { __consoleNoise: string[] }).__consoleNoise, null)),
    ...(await page.frame(() => (window as unknown as { __consoleNoise: string[] }).__consoleNoise, null)),
  ]
  const signedInText = (page: EnginePage) => page.frame(() => document.getElementById('status')?.textContent ?? '', null)
  /** An API call through the frame's fetch helper: bearer session, plus the cookie where one works. */
  const api = (page: EnginePage) =>
    page.frame(async () => {
      const response = await (window as unknown as { ssoConnection: { fetch(url: string): Promise<Response> } }).ssoConnection.fetch('/api/me')
      return response.status
    }, null)

  /**
   * What the test itself sees of cookies in the frame: a plain and a `Partitioned` cookie set there,
   * read back there, and looked for at top level on the platform's site (a new tab).
   */
  async function observeCookies(page: EnginePage & { platform: string }): Promise<{ status: string; detail: string }> {
    const name = `e2e_${Math.random().toString(36).slice(2, 8)}`
    const inFrame = await page.frame((n) => {
      const attributes = '; Path=/; Secure; SameSite=None; Max-Age=60'
      document.cookie = `${n}=plain${attributes}`
      document.cookie = `${n}_p=part${attributes}; Partitioned`
      const jar = document.cookie.split('; ')
      return { plain: jar.includes(`${n}=plain`), part: jar.includes(`${n}_p=part`) }
    }, name)
    const top = await page.topLevel(
      `${page.platform}/bare`,
      (n) => {
        const jar = document.cookie.split('; ')
        return { plain: jar.includes(`${n}=plain`), part: jar.includes(`${n}_p=part`) }
      },
      name,
    )
    const status = (inFrame.plain && top.plain) || (inFrame.part && top.part) ? 'unpartitioned' : inFrame.plain || inFrame.part ? 'partitioned' : 'cookieless'
    const detail = `frame: plain ${inFrame.plain ? 'kept' : 'dropped'}, Partitioned ${inFrame.part ? 'kept' : 'dropped'}; top level sees ${[top.plain && 'plain', top.part && 'Partitioned'].filter(Boolean).join(' and ') || 'neither'}`
    return { status, detail }
  }

  /**
   * The `require` flow walked as a user would: Continue, then (if offered) the popup, then Try again —
   * once each. Where no step is expected, the interstitial must never appear and nothing may call
   * `requestStorageAccess()`.
   */
  async function walkRequire(mode: CookieMode, expected: RequireExpectation, platform: string): Promise<string> {
    const page = await open(mode, platform)
    const since = front.seen.length
    try {
      const ready = mount(page, { token: await stack.sign(), storage: 'require', path: '/?sat=1500' })
      const button = '.sso-embed-interstitial button:not([hidden]):not([disabled])'
      const label = () => page.frame(() => document.querySelector('.sso-embed-interstitial button:not([hidden])')?.textContent ?? '', null)
      const message = () => page.frame(() => document.querySelector('.sso-embed-interstitial p')?.textContent ?? '', null)
      for (const step of expected.steps) {
        if (step === 'prompt') {
          await until(async () => ((await label()) === 'Continue' ? true : undefined), 'the Continue button')
          await page.clickInFrame(button)
        }
        if (step === 'popup') {
          await until(async () => ((await label()).startsWith('Open ') ? true : undefined), 'the popup button')
          const url = await page.popup(button, '#allow')
          expect(url).toBe(`${platform}/api/storage-access`)
          await until(async () => ((await label()) === 'Try again' ? true : undefined), 'the retry button')
          await page.clickInFrame(button)
        }
      }
      const result = await Promise.race([ready, new Promise<MountResult>((resolve) => setTimeout(() => resolve({ state: 'pending', elapsed: 0 }), 20_000))])
      if (platform === front.origin) {
        // a require embed's page (?storage=require) activates a grant the engine reports, and only then
        const navigation = front.seen.slice(since).find((r) => r.mode === 'navigate' && r.path.startsWith('/embed'))
        expect(navigation?.path).toContain('storage=require')
        expect(navigation?.activated).toBe(navigation?.status === 'inactive' || navigation?.status === 'active' ? 'load' : undefined)
      }
      const steps = storageSteps(await events(page))
      const reportedSteps = steps.filter((s) => ['prompt', 'granted', 'denied', 'popup'].includes(s))
      const calls = await page.frame(() => (window as unknown as { __requestStorageAccessCalls: number }).__requestStorageAccessCalls, null)
      expect(reportedSteps).toEqual(expected.steps)
      // no prompt step: the interstitial never showed, and nothing asked the browser for access
      if (!expected.steps.includes('prompt')) expect(calls).toBe(0)
      else expect(calls).toBeGreaterThan(0)
      if (expected.outcome === 'ready') {
        expect(result.state).toBe('ready')
        // the first-party cookies really work now: a plain cookie set in the frame is the platform's own
        expect((await observeCookies(page)).status).toBe('unpartitioned')
        expect(steps.at(-1)).toBe('unpartitioned')
        expect(await noise(page)).toEqual([])
      } else {
        expect(result.error?.code).toBe(expected.outcome)
        // the user is told why, and the host hears the same code
        expect(await message()).toMatch(/cookies/)
        expect((await events(page)).filter((e) => e.type === 'error').map((e) => e['code'])).toEqual([expected.outcome])
        expect((await observeCookies(page)).status).not.toBe('unpartitioned')
      }
      return `${reportedSteps.join(' → ') || 'no prompt'} → ${result.error?.code ?? result.state}`
    } finally {
      await page.close()
    }
  }

  const title = (expected: RequireExpectation) =>
    `${expected.steps.join(' → ') || 'no interstitial'} → ${expected.outcome}${expected.because ? ` (${expected.because})` : ''}`

  describe.each(modes)('$id', (mode) => {
    const { require: expected, headers, withoutHeaders, hostExchange } = expectations[mode.id]!

    test("storage 'auto', postMessage: signed in; the reported status is what the frame really has; the Storage Access Headers as the engine sends them; a clean console", async () => {
      const page = await open(mode)
      const since = front.seen.length
      try {
        const result = await mount(page, { token: await stack.sign() })
        expect(result.error).toBeUndefined()
        expect(result.state).toBe('ready')
        await until(async () => ((await signedInText(page)).startsWith('Signed in as') ? true : undefined), 'the frame to show the user')
        expect(await api(page)).toBe(200)
        const reported = await until(async () => storageSteps(await events(page))[0], 'the storageAccess report')
        const observed = await observeCookies(page)
        Object.assign(cell(mode), { status: reported, observed: observed.detail })
        expect(reported, observed.detail).toBe(observed.status)
        // what reached the platform: the frame's navigation (and the answer to it), then its exchange
        const seen = front.seen.slice(since)
        const navigation = seen.find((r) => r.mode === 'navigate' && r.path.startsWith('/embed'))
        const exchange = seen.find((r) => r.method === 'POST' && r.path === '/api/exchange')
        const sent = (status: string | undefined) => status ?? 'not sent'
        cell(mode).headers =
          `navigation: ${sent(navigation?.status)}${navigation?.activated ? ` → ${navigation.activated}` : ''}; exchange: ${sent(exchange?.status)}`
        // both went through the front (else "no header sent" below would also pass for a request it never saw)
        expect(navigation, "the frame's navigation, seen by the platform").toBeDefined()
        expect(exchange, "the frame's exchange, seen by the platform").toBeDefined()
        expect({ navigation: navigation!.status ?? null, exchange: exchange!.status ?? null }, cell(mode).headers).toEqual(headers)
        // an 'auto' embed's page never activates a grant, whatever the engine says (no ?storage=require)
        expect(navigation!.path).not.toContain('storage=')
        expect(navigation!.activated).toBeUndefined()
        // a sanity check of the collectors: a message logged in the frame is seen (else a clean console proves nothing)
        expect(await noise(page)).toEqual([])
        await page.frame(() => console.warn('collector check'), null)
        expect((await noise(page)).some((line) => line.includes('collector check'))).toBe(true)
      } finally {
        await page.close()
      }
    })

    test("storage 'auto', query transport: signed in, the token gone from the frame's URL", async () => {
      const page = await open(mode)
      try {
        const result = await mount(page, { token: await stack.sign(), transport: 'query' })
        expect(result.error).toBeUndefined()
        expect(result.state).toBe('ready')
        expect(await page.frame(() => location.href, null)).not.toContain('sso_token')
        expect(await api(page)).toBe(200)
        expect(await noise(page)).toEqual([])
      } finally {
        await page.close()
      }
    })

    test('a reload of the frame keeps the user signed in: from the session cookie where the engine keeps one, else with a fresh host token; no error', async () => {
      const page = await open(mode)
      try {
        const result = await mount(page, { token: await stack.sign(), hostGetToken: {} })
        expect(result.state).toBe('ready')
        const reported = await until(async () => storageSteps(await events(page))[0], 'the storageAccess report')
        const before = { calls: await tokenCalls(page), exchanges: stack.platform.exchanges }
        const quietBefore = await noise(page)
        await page.frame(() => void setTimeout(() => location.reload(), 0), null)
        await until(async () => ((await events(page)).filter((e) => e.type === 'authenticated').length === 2 ? true : undefined), 'a second sign-in', 15_000)
        await until(async () => ((await signedInText(page)) === 'Signed in as Ada Lovelace' ? true : undefined), 'the reloaded frame to show the user')
        expect(await api(page)).toBe(200)
        const types = (await events(page)).map((e) => e.type)
        expect(types).not.toContain('error')
        const resumed = (await tokenCalls(page)) === before.calls && stack.platform.exchanges === before.exchanges
        // a cookie (partitioned or not) carries the session across the reload; without one the host is asked again
        cell(mode).reload = resumed ? 'resumed from the session cookie' : 'signed in again with a fresh host token'
        expect(resumed ? 'resumed' : 'fresh token').toBe(reported === 'cookieless' ? 'fresh token' : 'resumed')
        expect([...quietBefore, ...(await noise(page))]).toEqual([])
      } finally {
        await page.close()
      }
    })

    test(`storage 'require', the platform serving the Storage Access Headers: ${title(expected)}`, async () => {
      cell(mode).require = await walkRequire(mode, expected, front.origin)
    })

    test("a host's own exchange (CORS from the host page, the host in the endpoint's origins): signed in; a grant that is inactive is activated by the endpoint's retry", async () => {
      const page = await open(mode)
      const since = front.seen.length
      try {
        const answer = await page.host(
          async ({ url, token }) => {
            const response = await fetch(url, {
              method: 'POST',
              credentials: 'include',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ token, hostOrigin: location.origin }),
            })
            return { status: response.status, user: ((await response.json()) as { user?: { name?: string } }).user?.name ?? null }
          },
          { url: `${front.origin}/cors/exchange`, token: await stack.sign() },
        )
        const sent = front.seen
          .slice(since)
          .filter((r) => r.method === 'POST' && r.path === '/cors/exchange')
          .map((r) => r.status ?? null)
        cell(mode).hostExchange = `${sent.map((status) => status ?? 'not sent').join(' → retry → ')} → ${answer.status}`
        expect(answer).toEqual({ status: 200, user: 'Ada Lovelace' })
        expect(sent, cell(mode).hostExchange).toEqual(hostExchange)
      } finally {
        await page.close()
      }
    })

    if (withoutHeaders) {
      test(`storage 'require', a platform without the Storage Access Headers: ${title(withoutHeaders)}`, async () => {
        cell(mode).requireWithoutHeaders = await walkRequire(mode, withoutHeaders, stack.platform.origin)
      })
    }
  })
}
