// Each wrapper in real Chromium against the test platform, on the demo host's pages: React, Vue, the
// <sso-embed> element, and a static page holding only the script tag and the element.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { platformFrame, startStack, type Stack, withBrowserAndStack } from './harness'

let browser: Browser
let stack: Stack
const shots = 'test-results/wrappers'

mkdirSync(shots, { recursive: true })
withBrowserAndStack((b, s) => ([browser, stack] = [b, s]))

describe.each(['react', 'vue', 'element', 'static'])('the %s page', (page) => {
  test('reaches authenticated in Chromium (third-party cookies blocked), with the token from the host backend', async () => {
    const context = await browser.newContext()
    const tab = await context.newPage()
    const errors: string[] = []
    tab.on('pageerror', (error) => errors.push(error.message))
    const issued = stack.host.tokensIssued
    await tab.goto(`${stack.host.origin}/${page}.html`)
    const frame = await platformFrame(tab, stack)
    await expect.poll(() => frame.locator('#status').textContent(), { timeout: 15_000 }).toBe('Signed in as Ada Lovelace')
    expect(stack.host.tokensIssued).toBeGreaterThan(issued)
    expect(await tab.locator('iframe').count()).toBe(1) // React's StrictMode included
    await tab.screenshot({ path: `${shots}/${page}.png` })
    expect(errors).toEqual([])
    await context.close()
  })
})

test('the static page is only the script tag and the element; token-url is fetched again for every refresh', async () => {
  const short = await startStack({ sessionTtlMs: 2000 })
  try {
    const html = await (await fetch(`${short.host.origin}/static.html`)).text()
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/sso-embed.js">'])
    expect(html).toContain(`<sso-embed instance-url="${short.platform.instanceUrl}" token-url="/api/token"></sso-embed>`)
    const context = await browser.newContext()
    const tab = await context.newPage()
    const issued = short.host.tokensIssued
    await tab.goto(`${short.host.origin}/static.html`)
    const frame = await platformFrame(tab, short)
    await expect.poll(() => frame.locator('#status').textContent(), { timeout: 15_000 }).toBe('Signed in as Ada Lovelace')
    const exchanges = short.platform.exchanges
    // a 2 s session is refreshed before it ends: another token from token-url, another exchange
    await expect.poll(() => short.platform.exchanges - exchanges, { timeout: 8000 }).toBeGreaterThanOrEqual(1)
    expect(short.host.tokensIssued - issued).toBeGreaterThanOrEqual(2)
    expect(await tab.evaluate(() => typeof (window as unknown as { SsoEmbed: { configure: unknown } }).SsoEmbed.configure)).toBe('function')
    await context.close()
  } finally {
    await short.close()
  }
})
