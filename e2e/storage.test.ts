// Blocked third-party cookies, in Chromium's three situations: cookies allowed; blocked + storage
// access granted when asked; blocked + never answered. Host on http://localhost, platform on
// http://127.0.0.1: two sites, so the platform is a third-party frame.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { events, mount, openHost, platformFrame, startStack, tokenCalls, type CookieMode, type Stack, withBrowserAndStack } from './harness'

let browser: Browser
let stack: Stack
const shots = 'test-results/storage'

mkdirSync(shots, { recursive: true })
withBrowserAndStack((b, s) => ([browser, stack] = [b, s]))

/** The `storageAccess` reports the host received, in order. */
const storageSteps = async (page: Page) => (await events(page)).filter((e) => e.type === 'storageAccess').map((e) => e['status'])

/** Calls the platform API through the frame's `fetch` helper (bearer session, plus the cookie where one works). */
async function apiStatus(page: Page): Promise<{ status: number; via?: string }> {
  const frame = await platformFrame(page, stack)
  return frame.evaluate(async () => {
    const response = await (window as unknown as { ssoConnection: { fetch(url: string): Promise<Response> } }).ssoConnection.fetch('/api/me')
    const body = (await response.json()) as { via?: string }
    return { status: response.status, ...(body.via && { via: body.via }) }
  })
}

const measured: Record<CookieMode, string> = {
  allowed: 'unpartitioned', // the platform's own cookies reach the frame
  granted: 'partitioned', // auto never prompts: only the partitioned session cookie works
  blocked: 'partitioned',
}

describe.each(['allowed', 'granted', 'blocked'] as const)('third-party cookies %s', (mode) => {
  test.each(['postMessage', 'query'] as const)(
    `storage 'auto' with the %s transport: authenticated, status ${measured[mode]}, API call authenticated`,
    async (transport) => {
      const { context, page } = await openHost(browser, stack, { cookies: mode })
      const result = await mount(page, { token: await stack.sign(), transport })
      expect(result.error).toBeUndefined()
      expect(result.state).toBe('ready')
      await expect.poll(() => storageSteps(page)).toEqual([measured[mode]])
      const report = await page.evaluate(() => (window as unknown as { embeds: { main: { embed: { storage: unknown } } } }).embeds.main.embed.storage)
      expect(report).toMatchObject({ status: measured[mode], localStorage: mode === 'allowed' })
      expect(await apiStatus(page)).toEqual({ status: 200, via: 'bearer' })
      // no interstitial in auto
      expect(await (await platformFrame(page, stack)).locator('.sso-embed-interstitial').count()).toBe(0)
      await context.close()
    },
  )

  test('reload inside the frame keeps the user signed in (no new host token, no visible error)', async () => {
    const { context, page } = await openHost(browser, stack, { cookies: mode })
    const result = await mount(page, { token: await stack.sign({ firstName: 'Reload' }), hostGetToken: {} })
    expect(result.state).toBe('ready')
    const calls = await tokenCalls(page)
    const frame = await platformFrame(page, stack)
    await frame.evaluate(() => location.reload())
    // the reloaded document signs in again (a second authenticated event), then shows it
    const authenticated = async () => (await events(page)).filter((e) => e.type === 'authenticated').length
    await expect.poll(authenticated, { timeout: 10_000 }).toBe(2)
    const reloaded = await platformFrame(page, stack)
    await expect.poll(() => reloaded.locator('#status').textContent(), { timeout: 10_000 }).toBe('Signed in as Reload Lovelace')
    expect(await apiStatus(page)).toEqual({ status: 200, via: 'bearer' })
    // resumed from the partitioned session cookie: the host was not asked for another token
    expect(await tokenCalls(page)).toBe(calls)
    const types = (await events(page)).map((e) => e.type)
    expect(types.filter((t) => t === 'authenticated')).toHaveLength(2)
    expect(types).not.toContain('error')
    await context.close()
  })
})

describe("storage 'require'", () => {
  test('cookies allowed: no interstitial, signed in with the first-party cookies', async () => {
    const { context, page } = await openHost(browser, stack, { cookies: 'allowed' })
    const result = await mount(page, { token: await stack.sign(), storage: 'require' })
    expect(result.state).toBe('ready')
    expect(await storageSteps(page)).toEqual(['unpartitioned'])
    expect(await (await platformFrame(page, stack)).locator('.sso-embed-interstitial').count()).toBe(0)
    expect((await apiStatus(page)).status).toBe(200)
    await context.close()
  })

  test('blocked + granted: interstitial, click, then the first-party cookies work', async () => {
    const { context, page } = await openHost(browser, stack, { cookies: 'granted' })
    const ready = mount(page, { token: await stack.sign(), storage: 'require' })
    const frame = await platformFrame(page, stack)
    const dialog = frame.getByRole('dialog', { name: 'Continue to Demo platform' })
    await dialog.waitFor({ timeout: 5000 })
    await expect.poll(() => storageSteps(page)).toEqual(['prompt'])
    await page.screenshot({ path: `${shots}/interstitial-prompt.png` })
    await dialog.getByRole('button', { name: 'Continue' }).click()
    const result = await ready
    expect(result.state).toBe('ready')
    expect(await storageSteps(page)).toEqual(['prompt', 'granted', 'unpartitioned'])
    expect(await frame.locator('.sso-embed-interstitial').count()).toBe(0)
    // the frame now holds unpartitioned (first-party) cookies
    expect(await frame.evaluate(() => document.hasStorageAccess())).toBe(true)
    expect((await apiStatus(page)).status).toBe(200)
    await context.close()
  })

  test('blocked + granted, with Storage Access headers on the embed page: the frame starts with its first-party cookies — no interstitial, no click, no requestStorageAccess()', async () => {
    // its own platform, serving the headers as `pnpm playground` does (this file's other tests drive the script path)
    const withHeaders = await startStack({ storageAccessHeaders: true })
    try {
      const { context, page } = await openHost(browser, withHeaders, { cookies: 'granted' })
      // counts requestStorageAccess() calls in every document from now on (the iframe's included)
      await context.addInitScript(() => {
        const original = Document.prototype.requestStorageAccess
        const counter = window as unknown as { __requestStorageAccessCalls: number }
        counter.__requestStorageAccessCalls = 0
        Document.prototype.requestStorageAccess = function (this: Document) {
          counter.__requestStorageAccessCalls++
          return original.call(this)
        }
      })
      const seen: Promise<string | undefined>[] = []
      page.on('request', (request) => {
        if (request.resourceType() === 'document' && request.url().startsWith(`${withHeaders.platform.instanceUrl}/`))
          seen.push(request.allHeaders().then((headers) => headers['sec-fetch-storage-access']))
      })
      const result = await mount(page, { token: await withHeaders.sign(), storage: 'require' })
      expect(result.state).toBe('ready')
      // Chromium says the grant exists but is not active; the platform's answer activates it on load
      expect(await Promise.all(seen)).toEqual(['inactive'])
      expect(await storageSteps(page)).toEqual(['unpartitioned'])
      const frame = await platformFrame(page, withHeaders)
      expect(await frame.locator('.sso-embed-interstitial').count()).toBe(0)
      expect(await frame.evaluate(() => document.hasStorageAccess())).toBe(true)
      expect(await frame.evaluate(() => (window as unknown as { __requestStorageAccessCalls?: number }).__requestStorageAccessCalls)).toBe(0)
      await context.close()
    } finally {
      await withHeaders.close()
    }
  })

  test('blocked + never answered: timeout, popup offered, retry, the outcome reported to the host; a later grant still signs in', async () => {
    const { context, page } = await openHost(browser, stack, { cookies: 'blocked' })
    // the platform page waits 1.5 s for requestStorageAccess() (?sat=1500)
    const ready = mount(page, { token: await stack.sign(), storage: 'require', path: '/?sat=1500', hostGetToken: {} })
    const frame = await platformFrame(page, stack)
    const dialog = frame.getByRole('dialog', { name: 'Continue to Demo platform' })
    await dialog.getByRole('button', { name: 'Continue' }).click()
    const open = dialog.getByRole('button', { name: 'Open Demo platform' })
    await open.waitFor({ timeout: 5000 })
    expect(await storageSteps(page)).toEqual(['prompt', 'denied'])
    await page.screenshot({ path: `${shots}/interstitial-popup.png` })
    const [popup] = await Promise.all([context.waitForEvent('page'), open.click()])
    await popup.waitForLoadState()
    expect(popup.url()).toBe(`${stack.platform.origin}/api/storage-access`)
    await popup.getByRole('button', { name: 'Allow and close' }).click()
    await dialog.getByRole('button', { name: 'Try again' }).click()
    const result = await ready
    expect(result.error?.code).toBe('STORAGE_ACCESS_DENIED')
    expect(await storageSteps(page)).toEqual(['prompt', 'denied', 'popup', 'denied'])
    // each denial says why: nobody answered the first prompt (headless); the retry, Chromium refuses outright
    const reasons = (await events(page)).filter((e) => e.type === 'storageAccess' && e['status'] === 'denied').map((e) => e['reason'])
    expect(reasons).toEqual(['unanswered', 'refused'])
    await expect.poll(async () => (await events(page)).filter((e) => e.type === 'error').map((e) => e['code'])).toEqual(['STORAGE_ACCESS_DENIED'])
    // the interstitial stays, saying why and offering another try
    await expect.poll(() => dialog.locator('p').textContent()).toContain('cannot use its cookies')
    await page.screenshot({ path: `${shots}/interstitial-denied.png` })
    // the user allows it later (e.g. in the browser's settings) and tries again: signed in after all,
    // with a fresh token from the host
    await context.grantPermissions(['storage-access'])
    await dialog.getByRole('button', { name: 'Try again' }).click()
    await expect.poll(async () => (await events(page)).filter((e) => e.type === 'authenticated').length, { timeout: 10_000 }).toBe(1)
    expect((await storageSteps(page)).slice(-2)).toEqual(['granted', 'unpartitioned'])
    expect(await frame.locator('.sso-embed-interstitial').count()).toBe(0)
    await context.close()
  })
})
