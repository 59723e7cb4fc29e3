// Protocol 2 in real Chromium, host http://localhost and platform http://127.0.0.1 (two sites): never the
// wrong user, a URL token only where the host put it, one getToken call per page, a refresh after the
// page slept, the platform's own events and commands, and a quiet console.
import type { Browser } from 'playwright-core'
import { signEmbedToken } from '@sso-embed/server'
import { describe, expect, test } from 'vitest'
import { events, holdFirstExchange, mount, openHost, platformFrame, startStack, withBrowserAndStack, withEmbed, type Stack } from './harness'

let browser: Browser
let stack: Stack
withBrowserAndStack((b, s) => ([browser, stack] = [b, s]))

const signedInAs = async (page: Parameters<typeof platformFrame>[0]) => (await platformFrame(page, stack)).locator('#status').textContent()

describe('never the wrong user', () => {
  test.each([true, false])(
    "a stale session of user A in the frame's cookie: B's first sign-in cut off by a reload ends as B, never A (getToken: %s)",
    async (withGetToken) => {
      const { context, page } = await openHost(browser, stack)
      // user A signs in: the platform's partitioned cookie now holds A's session
      const a = await mount(page, { token: await stack.sign({ externalUserId: 'alice', firstName: 'Alice', lastName: 'A' }), name: 'a' })
      expect(a.auth?.user.externalId).toBe('alice')
      await withEmbed(page, 'embed.destroy()', 'a')
      // the host app switches to user B; B's first exchange is cut off by a reload of the frame document
      const held = await holdFirstExchange(context, stack, false)
      const b = withGetToken ? { hostGetToken: {} } : { token: await stack.sign({ externalUserId: 'ada', firstName: 'Ada', lastName: 'Lovelace' }) }
      const ready = mount(page, b)
      await expect.poll(held.exchanges, { timeout: 10_000 }).toBe(1)
      await (await platformFrame(page, stack)).evaluate(() => location.reload())
      await page.waitForTimeout(200)
      held.release()
      const result = await ready
      expect(result.error).toBeUndefined()
      expect(result.auth?.user.externalId).toBe('ada') // the host's user B, not the stored A
      await expect.poll(() => signedInAs(page)).toBe('Signed in as Ada Lovelace')
      expect((await events(page)).filter((e) => e.type === 'authenticated').map((e) => (e['user'] as { externalId: string }).externalId)).toEqual(['ada'])
      await context.close()
    },
  )

  test.each(['?', '#'])(
    "a link that puts a token on a postMessage frame's URL (%s) is refused with URL_TOKEN_REFUSED, the host hears it, nothing is exchanged",
    async (mark) => {
      const { context, page } = await openHost(browser, stack)
      const victim = await mount(page, { token: await stack.sign({ externalUserId: 'victim', firstName: 'Vic', lastName: 'Tim' }) })
      expect(victim.state).toBe('ready')
      const attacker = await stack.sign({ externalUserId: 'mallory', firstName: 'Mallory', lastName: 'M' })
      const exchanges = stack.platform.exchanges
      // the login-CSRF link, loaded in the victim's frame
      const frame = await platformFrame(page, stack)
      // (commit: the frame strips the token from its address at once, which playwright's load wait would not see)
      await frame.goto(`${stack.platform.instanceUrl}/flows${mark}sso_token=${attacker}`, { waitUntil: 'commit' })
      await expect.poll(async () => (await events(page)).filter((e) => e.type === 'error').map((e) => e['code'])).toEqual(['URL_TOKEN_REFUSED'])
      expect(stack.platform.exchanges).toBe(exchanges)
      const reloaded = await platformFrame(page, stack)
      await expect.poll(() => reloaded.locator('#status').textContent()).toMatch(/^URL_TOKEN_REFUSED/)
      expect(reloaded.url()).not.toContain('sso_token')
      expect((await events(page)).filter((e) => e.type === 'authenticated')).toHaveLength(1) // only the victim's own
      await context.close()
    },
  )
})

describe('tokens and sessions', () => {
  /** Mounts two embeds in one page with one shared getToken (backed by `sign`); counts its calls and the errors. */
  async function twoEmbeds(stack: Stack, sign: () => Promise<string>) {
    const { context, page } = await openHost(browser, stack)
    await page.exposeFunction('signForTest', sign)
    const outcome = await page.evaluate(async () => {
      for (const id of ['one', 'two']) document.body.insertAdjacentHTML('beforeend', `<div id="${id}"></div>`)
      let calls = 0
      const getToken = () => {
        calls++
        return (window as unknown as { signForTest(): Promise<string> }).signForTest()
      }
      const errors: string[] = []
      const embeds = ['#one', '#two'].map((container) => window.ssoEmbed.configure({ container, instanceUrl: window.ssoEmbed.instanceUrl, getToken }))
      for (const embed of embeds) embed.on('error', (error) => errors.push(error.code))
      const auths = await Promise.all(embeds.map((embed) => embed.ready))
      return { calls, errors, users: auths.map((auth) => auth.user.externalId) }
    })
    await context.close()
    return outcome
  }

  test('two embeds with the same getToken on one page call it once (tokens the platform accepts more than once)', async () => {
    const reusing = await startStack({ singleUseTokens: false })
    try {
      const claims = { version: 'v3', externalUserId: 'ada', externalProjectId: 'acme', firstName: 'Ada', lastName: 'Lovelace', role: 'EDITOR' }
      const reusable = () => signEmbedToken(claims, { privateKey: reusing.key.privatePem, kid: reusing.key.kid, expiresIn: 300, jti: false })
      expect(await twoEmbeds(reusing, reusable)).toEqual({ calls: 1, errors: [], users: ['ada', 'ada'] })
    } finally {
      await reusing.close()
    }
  })

  test('with single-use tokens (jti), the second exchange is refused as replayed and its frame asks once more: both signed in, no error', async () => {
    expect(await twoEmbeds(stack, () => stack.sign())).toEqual({ calls: 2, errors: [], users: ['ada', 'ada'] })
  })

  test('a session that ended while the page slept (timers never ran) refreshes when the page is visible again', async () => {
    const short = await startStack({ sessionTtlMs: 3000 })
    try {
      const context = await browser.newContext()
      // a sleeping laptop: timers of a second or more never fire inside the platform frame
      await context.addInitScript((origin) => {
        if (location.origin !== origin) return
        const original = window.setTimeout.bind(window)
        window.setTimeout = ((fn: () => void, ms?: number, ...args: unknown[]) =>
          ms !== undefined && ms >= 1000 ? 0 : original(fn, ms, ...args)) as typeof setTimeout
      }, short.platform.origin)
      const page = await context.newPage()
      await page.goto(`${short.host.origin}/?manual`)
      await page.waitForFunction(() => 'ssoEmbed' in window)
      const result = await mount(page, { hostGetToken: {} })
      expect(result.state).toBe('ready')
      await page.waitForTimeout(3500) // the session is over; nothing noticed
      expect((await events(page)).filter((e) => e.type === 'authenticated')).toHaveLength(1)
      const frame = page.frames().find((f) => f.url().startsWith(short.platform.origin))!
      await frame.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
      await expect.poll(async () => (await events(page)).filter((e) => e.type === 'authenticated').length).toBe(2)
      const seen = (await events(page)).map((e) => e.type).filter((t) => t === 'sessionExpired' || t === 'authenticated' || t === 'error')
      expect(seen).toEqual(['authenticated', 'sessionExpired', 'authenticated'])
      await context.close()
    } finally {
      await short.close()
    }
  })
})

describe("the platform's own events and commands", () => {
  test('a platform event reaches embed.on("platform:…"), a command\'s answer resolves embed.send, an unknown one rejects coded', async () => {
    const { context, page } = await openHost(browser, stack)
    await mount(page, { token: await stack.sign() })
    const created = page.evaluate(
      () =>
        new Promise((resolve) =>
          (window as unknown as { embeds: { main: { embed: { on(t: string, f: (p: unknown) => void): void } } } }).embeds.main.embed.on(
            'platform:flowCreated',
            resolve,
          ),
        ),
    )
    const frame = await platformFrame(page, stack)
    await frame.evaluate(() => history.pushState(null, '', '/embed/flows'))
    await withEmbed(page, "embed.navigate('/flows')")
    await frame.getByRole('textbox', { name: 'New flow name' }).fill('Nightly report')
    await frame.getByRole('button', { name: 'Create flow' }).click()
    expect(await created).toMatchObject({ name: 'Nightly report', id: expect.any(String) })
    expect(await withEmbed(page, "return embed.send('flowCount', null)")).toBeGreaterThanOrEqual(1)
    expect(await withEmbed(page, "return embed.send('ping', { n: 1 })")).toEqual({ pong: { n: 1 } })
    expect(await withEmbed(page, "return embed.send('nope', null).catch((e) => e.code + ': ' + e.message)")).toBe(
      'UNKNOWN_COMMAND: The platform has no command "nope"',
    )
    await context.close()
  })
})

describe('a quiet console', () => {
  test('a normal mount logs no error and no warning, on the host page or in the frame', async () => {
    const { context, page } = await openHost(browser, stack)
    const noise: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') noise.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => noise.push(`pageerror: ${error.message}`))
    const result = await mount(page, { token: await stack.sign() })
    expect(result.state).toBe('ready')
    await expect.poll(() => signedInAs(page)).toMatch(/^Signed in as /)
    await (await platformFrame(page, stack)).evaluate(() => location.reload()) // and a reload
    await expect.poll(async () => (await events(page)).filter((e) => e.type === 'authenticated').length).toBe(2)
    await page.waitForTimeout(300)
    expect(noise).toEqual([])
    await context.close()
  })
})
