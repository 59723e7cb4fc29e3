import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { browserAndStack, mount, openHost, platformFrame } from './harness'

// The strictest Content-Security-Policy docs/csp.md recommends, on a host page and on the platform's
// embed page at once: both sign in, nothing is blocked (every violation in either document is
// collected), and the `require` interstitial is styled. The demo servers' pages get the headers here,
// as a reverse proxy would add them; their one inline script (the page config) carries the nonce.

const env = browserAndStack()
const NONCE = 'c3Nv-ZW1iZWQ'

/** docs/csp.md, host page (the script tag's origin is the page's own here: 'self'). */
export const hostCsp = (platform: string) =>
  `default-src 'none'; script-src 'self' 'nonce-${NONCE}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src ${platform}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`
/** docs/csp.md, platform embed page: the server's own `frame-ancestors` policy stays as it is, this one is added. */
export const platformCsp = `default-src 'none'; script-src 'self' 'nonce-${NONCE}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'`

/** The host page and the platform's page served with the strict policies; every violation in any document is kept in `window.violations`. */
async function strictHost(): Promise<Page> {
  const { stack } = env
  const { context, page } = env.track(await openHost(env.browser, stack))
  await context.addInitScript(() => {
    const seen: string[] = ((window as unknown as { violations: string[] }).violations = [])
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  const withNonce = (html: string) => html.replaceAll('<script>', `<script nonce="${NONCE}">`)
  await context.route(
    (url) => url.origin === stack.host.origin && url.search === '?manual',
    async (route) => {
      const response = await route.fetch()
      await route.fulfill({
        response,
        body: withNonce(await response.text()),
        headers: { ...response.headers(), 'content-security-policy': hostCsp(stack.platform.origin) },
      })
    },
  )
  await context.route(
    (url) => url.origin === stack.platform.origin,
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue()
      const response = await route.fetch()
      const own = response.headers()['content-security-policy'] ?? ''
      if (!own.startsWith('frame-ancestors ')) throw new Error(`the platform page's own policy is not frame-ancestors: ${own}`) // kept: two policies, both enforced
      await route.fulfill({
        response,
        body: withNonce(await response.text()),
        headers: { ...response.headers(), 'content-security-policy': `${own}, ${platformCsp}` },
      })
    },
  )
  await page.goto(`${stack.host.origin}/?manual`)
  await page.waitForFunction(() => 'ssoEmbed' in window)
  return page
}

const violations = async (page: Page) => [
  ...(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)),
  ...(await (await platformFrame(page, env.stack)).evaluate(() => (window as unknown as { violations: string[] }).violations)),
]

describe('the strict CSP of docs/csp.md', () => {
  test('host page and platform page under it: they sign in and nothing is blocked', async () => {
    const page = await strictHost()
    expect(await page.evaluate(() => document.querySelector('script[nonce]') !== null)).toBe(true)
    const result = await mount(page, { hostGetToken: {} })
    expect(result.error).toBeUndefined()
    expect(result.state).toBe('ready')
    const frame = await platformFrame(page, env.stack)
    await expect.poll(() => frame.locator('#status').textContent()).toBe('Signed in as Ada Lovelace')
    expect(await violations(page)).toEqual([])
  })

  test('the loading view under it keeps its stylesheet (shadow root, adopted sheet)', async () => {
    const page = await strictHost()
    await page.evaluate(() => {
      window.ssoEmbed.configure({
        container: '#embed',
        instanceUrl: window.ssoEmbed.instanceUrl,
        getToken: () => new Promise(() => {}), // never answers: the loading view stays
      })
    })
    const status = page.locator('#embed [data-sso-embed-state] [role=status]')
    await status.waitFor()
    const styled = await status.evaluate((box) => ({ display: getComputedStyle(box).display, background: getComputedStyle(box).backgroundColor }))
    expect(styled).toEqual({ display: 'flex', background: 'rgb(248, 250, 252)' })
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
  })

  test("storage: 'require' with third-party cookies blocked: the interstitial is styled (fixed, backdrop) and nothing is blocked", async () => {
    const page = await strictHost()
    void mount(page, { hostGetToken: {}, storage: 'require' }).catch(() => {}) // never ready: nobody clicks
    const frame = await platformFrame(page, env.stack)
    const dialog = frame.locator('.sso-embed-interstitial')
    await dialog.waitFor({ timeout: 15_000 })
    const style = await dialog.evaluate((el) => ({ position: getComputedStyle(el).position, background: getComputedStyle(el).backgroundColor }))
    expect(style).toEqual({ position: 'fixed', background: 'rgba(15, 23, 42, 0.55)' })
    expect(await frame.evaluate(() => document.querySelectorAll('style, [style]').length)).toBe(0)
    await page.locator('#embed').screenshot({ path: join(import.meta.dirname, '..', 'docs', 'images', 'csp-interstitial.png') })
    expect(await violations(page)).toEqual([])
  })
})
