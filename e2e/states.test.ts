import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { generateHostKey } from '../playground/keys'
import { signHostToken } from '../playground/tokens'
import { browserAndStack, openHost as open, platformFrame as frameOf } from './harness'

// What a visitor sees in the host's container: the loading view, the error view per failure (its text
// asserted, a screenshot kept for the docs), Retry, the frame's own state, and the console of a page
// that listens to nothing. Screenshots go to docs/images/states-*.png.

const env = browserAndStack()
const shots = join(import.meta.dirname, '..', 'docs', 'images')
mkdirSync(shots, { recursive: true })

/** The harness's host page, its context closed after the test whatever happens. */
const openHost = (options?: Parameters<typeof open>[2]) => open(env.browser, env.stack, options).then(env.track)
const platformFrame = (page: Page) => frameOf(page, env.stack)

interface Options {
  token?: string
  tokenUrl?: string
  /** getToken fetches `window.tokenPath` (default /api/token) after `delay` ms. */
  getToken?: { delay?: number }
  timeout?: number
  listen?: boolean
}

/** configure() in the host page (no waiting); the embed is `window.embed`, its errors `window.errors`. */
function configureIn(page: Page, options: Options) {
  return page.evaluate(({ getToken, listen = true, ...rest }) => {
    const w = window as unknown as { embed: unknown; errors: string[]; tokenPath: string }
    w.errors = []
    w.tokenPath ??= '/api/token'
    const embed = window.ssoEmbed.configure({
      container: '#embed',
      instanceUrl: window.ssoEmbed.instanceUrl,
      ...rest,
      ...(getToken && {
        getToken: async () => {
          await new Promise((resolve) => setTimeout(resolve, getToken.delay ?? 0))
          const response = await fetch(w.tokenPath)
          if (!response.ok) throw new Error(`HTTP ${response.status}`)
          return ((await response.json()) as { token: string }).token
        },
      }),
    })
    if (listen) embed.on('error', (error) => w.errors.push(error.code))
    w.embed = embed
  }, options)
}

const stateView = (page: Page) => page.locator('#embed [data-sso-embed-state]')

/** The error view shows `text` and the code; a screenshot of the container is saved as `name`. */
async function expectErrorView(page: Page, code: string, text: string, name: string) {
  const alert = stateView(page).locator('[role=alert]')
  await alert.waitFor({ timeout: 15_000 })
  expect(await alert.locator('p').first().textContent()).toBe(text)
  expect(await alert.locator('.code').textContent()).toBe(code)
  await page.locator('#embed').screenshot({ path: join(shots, `states-${name}.png`) })
}

describe('the host container', () => {
  test('a loading view (busy, labelled) while signing in, gone once signed in; the iframe is shown then', async () => {
    const { context, page } = await openHost()
    await configureIn(page, { getToken: { delay: 1500 } })
    const status = stateView(page).locator('[role=status]')
    await status.waitFor()
    expect(await status.getAttribute('aria-busy')).toBe('true')
    expect(await status.textContent()).toBe('Loading…')
    expect(await page.locator('#embed iframe').evaluate((f) => getComputedStyle(f).visibility)).toBe('hidden')
    expect((await stateView(page).boundingBox())!.height).toBeGreaterThanOrEqual(150)
    await page.locator('#embed').screenshot({ path: join(shots, 'states-loading.png') })
    await page.waitForFunction(() => (window as unknown as { embed: { state: string } }).embed.state === 'ready', null, { timeout: 15_000 })
    expect(await stateView(page).count()).toBe(0)
    expect(await page.locator('#embed iframe').evaluate((f) => getComputedStyle(f).visibility)).toBe('visible')
    await context.close()
  })

  test('an expired token: "Your sign-in has expired." (no Retry: a fixed token cannot be fetched again); the frame shows TOKEN_EXPIRED itself', async () => {
    const { context, page } = await openHost()
    await configureIn(page, { token: await env.stack.sign({}, -120) })
    await expectErrorView(page, 'TOKEN_EXPIRED', 'Your sign-in has expired.', 'token-expired')
    expect(await stateView(page).locator('button').count()).toBe(0)
    const frame = await platformFrame(page)
    await expect.poll(() => frame.locator('#status').textContent(), { timeout: 10_000 }).toMatch(/^TOKEN_EXPIRED: /)
    expect(await frame.locator('body').getAttribute('data-state')).toBe('error')
    await context.close()
  })

  test('a token-url that answers 404: TOKEN_UNAVAILABLE with Retry', async () => {
    const { context, page } = await openHost()
    await configureIn(page, { tokenUrl: '/api/missing' })
    await expectErrorView(page, 'TOKEN_UNAVAILABLE', 'We could not sign you in: the sign-in service did not answer.', 'token-unavailable')
    expect(await stateView(page).locator('button').textContent()).toBe('Retry')
    await context.close()
  })

  test('a token signed with a key the platform does not know: "Your sign-in was refused."', async () => {
    const stranger = await generateHostKey('unregistered')
    const { context, page } = await openHost()
    await configureIn(page, { token: await signHostToken(stranger, { externalUserId: 'ada', externalProjectId: 'acme', firstName: 'Ada', lastName: 'L' }) })
    await expectErrorView(page, 'BAD_SIGNATURE', 'Your sign-in was refused.', 'wrong-key')
    await context.close()
  })

  test('getToken() that throws, then Retry after the backend is fixed: a new iframe signs in', async () => {
    const { context, page } = await openHost()
    await page.evaluate(() => ((window as unknown as { tokenPath: string }).tokenPath = '/api/missing'))
    await configureIn(page, { getToken: {} })
    await expectErrorView(page, 'TOKEN_UNAVAILABLE', 'We could not sign you in: the sign-in service did not answer.', 'retry')
    await page.evaluate(() => ((window as unknown as { tokenPath: string }).tokenPath = '/api/token'))
    await stateView(page).locator('button').click()
    await page.waitForFunction(() => (window as unknown as { embed: { state: string } }).embed.state === 'ready', null, { timeout: 15_000 })
    expect(await stateView(page).count()).toBe(0)
    expect(await page.locator('#embed iframe').count()).toBe(1)
    const frame = await platformFrame(page)
    await expect.poll(() => frame.locator('#status').textContent()).toBe('Signed in as Ada Lovelace')
    await context.close()
  })

  test('an error nobody listens to writes one console error with the code and its docs anchor', async () => {
    const { context, page, logs } = await openHost()
    await configureIn(page, { tokenUrl: '/api/missing', listen: false })
    await stateView(page).locator('[role=alert]').waitFor()
    await page.waitForTimeout(300)
    const ours = logs.filter((line) => line.startsWith('[sso-embed]'))
    expect(ours).toHaveLength(1)
    expect(ours[0]).toMatch(/^\[sso-embed\] TOKEN_UNAVAILABLE: .*HTTP 404.* — see https:\/\/\S+\/errors#token-unavailable$/)
    await context.close()
  })

  test('loading: false and errorView: false leave the container to the page', async () => {
    const { context, page } = await openHost()
    await page.evaluate(() => {
      const embed = window.ssoEmbed.configure({
        container: '#embed',
        instanceUrl: window.ssoEmbed.instanceUrl,
        tokenUrl: '/api/missing',
        loading: false,
        errorView: false,
      })
      embed.on('error', () => {})
      return embed.ready.catch(() => {})
    })
    await page.waitForTimeout(300)
    expect(await stateView(page).count()).toBe(0)
    await context.close()
  })
})

describe('a frame that never answers: what went wrong, precisely', () => {
  test("this page's CSP without frame-src: FRAME_BLOCKED_BY_CSP at once, long before the timeout", async () => {
    const { context, page } = await openHost()
    await page.route(
      (url) => url.search === '?manual&csp',
      async (route) => {
        const response = await route.fetch({ url: `${env.stack.host.origin}/?manual` })
        const nonce = 'n0nce'
        const html = (await response.text()).replaceAll('<script', `<script nonce="${nonce}"`)
        await route.fulfill({
          response,
          body: html,
          headers: { ...response.headers(), 'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'` },
        })
      },
    )
    await page.goto(`${env.stack.host.origin}/?manual&csp`)
    await page.waitForFunction(() => 'ssoEmbed' in window)
    const started = Date.now()
    await configureIn(page, { getToken: {}, timeout: 10_000 })
    await expectErrorView(page, 'FRAME_BLOCKED_BY_CSP', "This page's security policy blocks this content.", 'csp-blocked')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await page.evaluate(() => (window as unknown as { errors: string[] }).errors)).toEqual(['FRAME_BLOCKED_BY_CSP'])
    await context.close()
  })

  test("the platform's frame-ancestors refuses this page: HANDSHAKE_TIMEOUT saying it loaded and naming frame-ancestors", async () => {
    const { context, page } = await openHost()
    await page.route(`${env.stack.platform.origin}/**`, async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "frame-ancestors 'none'" } })
    })
    await configureIn(page, { getToken: {}, timeout: 2500 })
    await expectErrorView(page, 'HANDSHAKE_TIMEOUT', 'This content could not be reached.', 'handshake-timeout')
    const message = await page.evaluate(() => (window as unknown as { embed: { ready: Promise<unknown> } }).embed.ready.catch((e: Error) => e.message))
    expect(message).toMatch(
      /loaded .* but nothing greeted in 2500 ms: the platform refuses to be framed by http:\/\/localhost:\d+ \(frame-ancestors, X-Frame-Options\)/,
    )
    await context.close()
  })

  test("the platform's page runs but does not allow this origin: ORIGIN_NOT_ALLOWED at once, no Retry", async () => {
    const { context, page } = await openHost()
    await page.route(`${env.stack.platform.origin}/embed/**`, async (route) => {
      const response = await route.fetch()
      const html = (await response.text()).replace(/"allowedHostOrigins":\[[^\]]*\]/, '"allowedHostOrigins":["https://elsewhere.example"]')
      await route.fulfill({ response, body: html })
    })
    const started = Date.now()
    await configureIn(page, { getToken: {}, timeout: 10_000 })
    await expectErrorView(page, 'ORIGIN_NOT_ALLOWED', 'This content is not allowed on this site.', 'origin-not-allowed')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await stateView(page).locator('button').count()).toBe(0)
    // the frame's own view says why, too
    const frame = await platformFrame(page)
    expect(await frame.locator('#status').textContent()).toMatch(/^ORIGIN_NOT_ALLOWED: Embedded by http:\/\/localhost:\d+/)
    await context.close()
  })
})

describe('a session that ends with no fresh token', () => {
  const short = browserAndStack({ sessionTtlMs: 2000 })

  test('a fixed token and a 2-second session: "Your session has ended." (no Retry) over the frame, gone after setToken()', async () => {
    const { page } = await open(short.browser, short.stack).then(short.track)
    await configureIn(page, { token: await short.stack.sign() })
    await page.waitForFunction(() => (window as unknown as { embed: { state: string } }).embed.state === 'ready', null, { timeout: 15_000 })
    const alert = stateView(page).locator('[role=alert]')
    await alert.waitFor({ timeout: 20_000 })
    expect(await alert.locator('.code').textContent()).toBe('SESSION_EXPIRED')
    expect(await alert.locator('p').first().textContent()).toBe('Your session has ended.')
    expect(await stateView(page).locator('button').count()).toBe(0)
    await page.locator('#embed').screenshot({ path: join(shots, 'states-session-expired.png') })
    await page.evaluate((token) => (window as unknown as { embed: { setToken(t: string): void } }).embed.setToken(token), await short.stack.sign())
    await expect.poll(() => stateView(page).count(), { timeout: 15_000 }).toBe(0)
  })
})
