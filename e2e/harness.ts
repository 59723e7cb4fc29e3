import { afterAll, afterEach, beforeAll } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumPath } from '../scripts/chromium.mjs'
import { startHost, type Host } from '../playground/host/server'
import { generateHostKey, type HostKey } from '../playground/keys'
import { startPlatform, type Platform } from '../playground/platform/server'
import { signHostToken, type DemoClaims } from '../playground/tokens'

/** A TCP port free on 127.0.0.1 right now (for a server the test starts as a process of its own). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })

/** Quiet flags for Chromium on a machine without internet (see shared/notes/browser-testing.md). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs] })
}

export interface Stack {
  key: HostKey
  host: Host
  platform: Platform
  sign(claims?: Partial<DemoClaims>, ttlSeconds?: number): Promise<string>
  close(): Promise<void>
}

/**
 * For a test file: Chromium and a stack, started before its tests (handed to `use`) and stopped after.
 */
export function withBrowserAndStack(use: (browser: Browser, stack: Stack) => void, options?: Parameters<typeof startStack>[0]): void {
  let browser: Browser | undefined
  let stack: Stack | undefined
  beforeAll(async () => {
    ;[browser, stack] = await Promise.all([launchChromium(), startStack(options)])
    use(browser, stack)
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })
}

/**
 * For a test file: Chromium and a stack, started before its tests and stopped after, and `track()` for
 * the browser contexts a test opens: each is closed after its test, passed or failed.
 */
export function browserAndStack(options?: Parameters<typeof startStack>[0]) {
  const contexts: BrowserContext[] = []
  const env = {
    browser: undefined as unknown as Browser,
    stack: undefined as unknown as Stack,
    track<T extends { context: BrowserContext }>(opened: T): T {
      contexts.push(opened.context)
      return opened
    },
  }
  beforeAll(async () => {
    ;[env.browser, env.stack] = await Promise.all([launchChromium(), startStack(options)])
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})))
  })
  afterAll(async () => {
    await env.browser?.close()
    await env.stack?.close()
  })
  return env
}

/**
 * The demo host on http://localhost:* and the test platform on http://127.0.0.1:*: two different sites
 * (both on https with `tls`; `head` goes before the scripts of every page either serves).
 */
export async function startStack(
  options: {
    sessionTtlMs?: number
    registerHost?: boolean
    singleUseTokens?: boolean
    tls?: { key: string; cert: string }
    head?: string
    storageAccessHeaders?: boolean
  } = {},
): Promise<Stack> {
  const key = await generateHostKey('e2e-host')
  const platform = await startPlatform({
    keys: [],
    ...(options.sessionTtlMs !== undefined && { sessionTtlMs: options.sessionTtlMs }),
    ...(options.singleUseTokens !== undefined && { singleUseTokens: options.singleUseTokens }),
    ...(options.tls && { tls: options.tls }),
    ...(options.head && { head: options.head }),
    ...(options.storageAccessHeaders && { storageAccessHeaders: true }),
  })
  const host = await startHost({
    key,
    instanceUrl: platform.instanceUrl,
    ...(options.tls && { tls: options.tls }),
    ...(options.head && { head: options.head }),
  })
  if (options.registerHost === false) {
    // the host's origin registered only for another key: the frame still allows it, the exchange refuses it
    const otherKey = await generateHostKey('e2e-other-host')
    platform.register({ kid: key.kid, publicPem: key.publicPem, origins: ['http://elsewhere.test'] })
    platform.register({ kid: otherKey.kid, publicPem: otherKey.publicPem, origins: [host.origin] })
  } else {
    platform.register({ kid: key.kid, publicPem: key.publicPem, origins: [host.origin] })
  }
  return {
    key,
    host,
    platform,
    sign: (claims = {}, ttl) =>
      signHostToken(
        key,
        { externalUserId: 'ada', externalProjectId: 'acme', firstName: 'Ada', lastName: 'Lovelace', projectDisplayName: 'Acme', ...claims },
        ttl,
      ),
    close: async () => {
      await Promise.all([host.close(), platform.close()])
    },
  }
}

/**
 * Chromium's three third-party-cookie situations: `allowed` (a profile that allows them),
 * `granted` (blocked, but the Storage Access API permission is granted: the user accepts when asked),
 * `blocked` (blocked, and nobody ever answers `requestStorageAccess()`: the default headless profile).
 */
export type CookieMode = 'allowed' | 'granted' | 'blocked'

/** A browser context in `mode`; `allowed` needs its own persistent profile (closing the context closes it). */
export async function cookieContext(browser: Browser, mode: CookieMode, options: { ignoreHTTPSErrors?: boolean } = {}): Promise<BrowserContext> {
  if (mode === 'allowed') {
    const dir = mkdtempSync(join(tmpdir(), 'sso-embed-profile-'))
    mkdirSync(join(dir, 'Default'))
    writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }))
    const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath, args: chromiumArgs, headless: true, ...options })
    context.on('close', () => {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
      } catch {
        // Chromium may still be writing its profile; the OS cleans the temporary directory
      }
    })
    return context
  }
  const context = await browser.newContext(options)
  if (mode === 'granted') await context.grantPermissions(['storage-access'])
  return context
}

/** A fresh context (default: third-party cookies blocked) on the host page, without the demo's auto-mount. */
export async function openHost(
  browser: Browser,
  stack: Stack,
  options: { instrument?: boolean; cookies?: CookieMode } = {},
): Promise<{ context: BrowserContext; page: Page; logs: string[] }> {
  const context = await cookieContext(browser, options.cookies ?? 'blocked')
  const page = await context.newPage()
  if (options.instrument) await page.addInitScript(instrumentLeaks)
  const logs: string[] = []
  page.on('console', (message) => logs.push(message.text()))
  page.on('pageerror', (error) => logs.push(`pageerror: ${error.message}`))
  await page.goto(`${stack.host.origin}/?manual`)
  await page.waitForFunction(() => 'ssoEmbed' in window)
  return { context, page, logs }
}

/** The embedded platform frame(s) of `page`. */
export function platformFrames(page: Page, stack: Stack): Frame[] {
  return page.frames().filter((frame) => frame.url().startsWith(stack.platform.origin))
}

export async function platformFrame(page: Page, stack: Stack): Promise<Frame> {
  await page.waitForFunction((origin) => [...document.querySelectorAll('iframe')].some((f) => f.src.startsWith(origin)), stack.platform.origin)
  for (let i = 0; i < 100; i++) {
    const frame = platformFrames(page, stack)[0]
    if (frame) return frame
    await page.waitForTimeout(50)
  }
  throw new Error('no platform frame')
}

export interface MountOptions {
  token?: string
  transport?: 'postMessage' | 'query' | 'fragment'
  path?: string
  timeout?: number
  debug?: boolean
  instanceUrl?: string
  /** CSS selector; default `#embed`. */
  container?: string
  /** Name under which the page keeps the embed and its events (`window.embeds[name]`). Default `main`. */
  name?: string
  /** Give the embed a `getToken` that fetches `/api/token?ttl=…` from the demo host's backend (and counts calls). */
  hostGetToken?: { ttl?: number }
  storage?: 'auto' | 'require'
}

export interface MountResult {
  auth?: { user: { id: string; externalId?: string; name?: string }; project: { id: string; externalId?: string; name?: string } | null; expiresAt: number }
  error?: { code: string; message: string; name: string }
  state: string
  elapsed: number
}

/** Calls `configure()` in the host page and waits for `ready` (or its rejection). */
export function mount(page: Page, options: MountOptions = {}): Promise<MountResult> {
  return page.evaluate(mountInPage, options)
}

/**
 * The body of {@link mount}, run in the host page: calls `configure()`, records the embed's events in
 * `window.embeds[name]` and waits for `ready`. Self-contained, so every engine's driver can run it.
 */
export async function mountInPage({ name = 'main', hostGetToken, container = '#embed', ...rest }: MountOptions): Promise<MountResult> {
  type Bag = { embed: ReturnType<typeof window.ssoEmbed.configure>; events: Record<string, unknown>[]; tokenCalls: number }
  const w = window as unknown as { embeds?: Record<string, Bag> }
  const bag = { events: [], tokenCalls: 0 } as unknown as Bag
  ;(w.embeds ??= {})[name] = bag
  const started = performance.now()
  const embed = window.ssoEmbed.configure({
    container,
    instanceUrl: window.ssoEmbed.instanceUrl,
    ...rest,
    ...(hostGetToken && {
      getToken: async () => {
        bag.tokenCalls++
        const response = await fetch(`/api/token?ttl=${hostGetToken.ttl ?? 300}`)
        return ((await response.json()) as { token: string }).token
      },
    }),
  })
  bag.embed = embed
  for (const type of ['ready', 'authenticated', 'error', 'navigate', 'resize', 'tokenExpired', 'sessionExpired', 'storageAccess'] as const) {
    embed.on(type, (payload: unknown) => {
      const p = payload as { code?: string; message?: string } | undefined
      bag.events.push({ type, at: performance.now(), ...(type === 'error' ? { code: p?.code, message: p?.message } : (p ?? {})) })
    })
  }
  try {
    const auth = await embed.ready
    return { auth, state: embed.state, elapsed: performance.now() - started }
  } catch (e) {
    const error = e as { code: string; message: string; name: string }
    return { error: { code: error.code, message: error.message, name: error.name }, state: embed.state, elapsed: performance.now() - started }
  }
}

/** Events recorded for the embed `name` in the page. */
export function events(page: Page, name = 'main'): Promise<{ type: string; [key: string]: unknown }[]> {
  return page.evaluate((n) => (window as unknown as { embeds: Record<string, { events: never[] }> }).embeds[n]!.events, name)
}

/**
 * Runs in the host page before its scripts: counts live timers and `message` listeners on `window`, so a
 * test can see what an embed leaves behind. `window.__leaks()` reads the counts.
 */
function instrumentLeaks() {
  const live = new Set<unknown>()
  const listeners = new Set<unknown>()
  const setTimeoutOriginal = window.setTimeout.bind(window)
  const clearTimeoutOriginal = window.clearTimeout.bind(window)
  const w = window as unknown as Record<string, unknown>
  w.setTimeout = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id = setTimeoutOriginal(() => {
      live.delete(id)
      fn(...args)
    }, ms)
    live.add(id)
    return id
  }
  w.clearTimeout = (id: number) => {
    live.delete(id)
    clearTimeoutOriginal(id)
  }
  const add = window.addEventListener.bind(window)
  const remove = window.removeEventListener.bind(window)
  w.addEventListener = (type: string, fn: EventListener, options?: boolean | AddEventListenerOptions) => {
    if (type === 'message') listeners.add(fn)
    add(type, fn, options)
  }
  w.removeEventListener = (type: string, fn: EventListener, options?: boolean | EventListenerOptions) => {
    if (type === 'message') listeners.delete(fn)
    remove(type, fn, options)
  }
  w.__leaks = () => ({ timers: live.size, messageListeners: listeners.size, iframes: document.querySelectorAll('iframe').length })
}

export function leaks(page: Page): Promise<{ timers: number; messageListeners: number; iframes: number }> {
  return page.evaluate(() => (window as unknown as { __leaks(): { timers: number; messageListeners: number; iframes: number } }).__leaks())
}

/** How many times the page's `getToken` (from `hostGetToken`) was called for the embed `name`. */
export function tokenCalls(page: Page, name = 'main'): Promise<number> {
  return page.evaluate((n) => (window as unknown as { embeds: Record<string, { tokenCalls: number }> }).embeds[n]!.tokenCalls, name)
}

/** Runs the function body `fn` in the page with `embed` bound to the embed `name`, e.g. `return embed.state`. */
export function withEmbed<T>(page: Page, fn: string, name = 'main'): Promise<T> {
  return page.evaluate(
    ([body, n]) => new Function('embed', body!)((window as unknown as { embeds: Record<string, { embed: unknown }> }).embeds[n!]!.embed),
    [fn, name],
  )
}

/**
 * Holds the page's first exchange request until `release()` (a test then reloads the frame mid-exchange):
 * `reach` lets it reach the platform first (the token is spent, the answer lost), else it is not sent yet.
 */
export async function holdFirstExchange(context: BrowserContext, stack: Stack, reach: boolean) {
  let count = 0
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  await context.route(`${stack.platform.origin}/api/exchange`, async (route) => {
    if (count++ > 0) return route.continue()
    const response = reach ? await route.fetch() : undefined
    await released
    // its document is gone: nothing to continue or answer
    await (response ? route.fulfill({ response }) : route.continue()).catch(() => {})
  })
  return { exchanges: () => count, release }
}
