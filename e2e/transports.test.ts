import type { Browser } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { events, mount, openHost, platformFrame, startStack, tokenCalls, withEmbed, type Stack, withBrowserAndStack } from './harness'

let browser: Browser
let stack: Stack

withBrowserAndStack((b, s) => ([browser, stack] = [b, s]))

describe('token transports (host http://localhost, platform http://127.0.0.1)', () => {
  test('postMessage reaches authenticated and the JWT is in no URL the platform received nor in the iframe src', async () => {
    const { context, page } = await openHost(browser, stack)
    const token = await stack.sign({ externalUserId: 'grace', firstName: 'Grace', lastName: 'Hopper' })
    stack.platform.requests.length = 0
    const result = await mount(page, { token })
    expect(result.error).toBeUndefined()
    expect(result.state).toBe('ready')
    expect(result.auth?.user).toMatchObject({ externalId: 'grace', name: 'Grace Hopper', id: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(result.auth?.project).toMatchObject({ externalId: 'acme', name: 'Acme' })

    const frame = await platformFrame(page, stack)
    await frame.waitForSelector('text=Signed in as Grace Hopper')
    // the frame's fetch helper reaches the platform API with the session (bearer: cookies are blocked here)
    await frame.waitForSelector('#api:has-text("Grace Hopper")')
    // the frame knows which page embeds it, as the browser reported it
    expect(await frame.locator('#host').textContent()).toBe(stack.host.origin)

    expect(stack.platform.requests.length).toBeGreaterThan(0)
    expect(stack.platform.requests.filter((url) => url.includes(token) || url.includes('sso_token'))).toEqual([])
    const src = await page.$eval('#embed iframe', (iframe) => (iframe as HTMLIFrameElement).src)
    expect(src).toBe(`${stack.platform.instanceUrl}/`)
    expect(frame.url()).not.toContain(token)
    await context.close()
  })

  for (const transport of ['query', 'fragment'] as const) {
    test(`${transport} transport reaches authenticated and the token is gone from the frame's URL`, async () => {
      const { context, page } = await openHost(browser, stack)
      const token = await stack.sign({ externalUserId: `user-${transport}`, firstName: 'Katherine', lastName: transport })
      stack.platform.requests.length = 0
      const result = await mount(page, { token, transport, path: '/flows' })
      expect(result.error).toBeUndefined()
      expect(result.auth?.user.externalId).toBe(`user-${transport}`)

      const frame = await platformFrame(page, stack)
      await frame.waitForSelector(`text=Signed in as Katherine ${transport}`)
      const frameLocation = await frame.evaluate(() => ({ href: window.location.href }))
      expect(frameLocation.href).not.toContain('sso_token')
      expect(frameLocation.href).not.toContain(token)
      expect(new URL(frameLocation.href).pathname).toBe('/embed/flows')
      const src = await page.$eval('#embed iframe', (iframe) => (iframe as HTMLIFrameElement).src)
      expect(src).toContain(transport === 'query' ? '?sso_token=' : '#sso_token=')
      // a fragment never reaches the server; a query does (which is why postMessage is the default)
      const leaked = stack.platform.requests.filter((url) => url.includes(token))
      expect(leaked).toHaveLength(transport === 'query' ? 1 : 0)
      await context.close()
    })
  }

  test('getToken supplies the first token when none is given', async () => {
    const { context, page } = await openHost(browser, stack)
    const result = await mount(page, { hostGetToken: {} })
    expect(result.auth?.user.externalId).toBe('ada')
    expect(await tokenCalls(page)).toBe(1)
    await context.close()
  })
})

describe('errors keep their codes across the wire', () => {
  test('a token signed with another key fails with BAD_SIGNATURE', async () => {
    const other = await startStack()
    try {
      const { context, page } = await openHost(browser, stack)
      const result = await mount(page, { token: await other.sign() }) // same kid, different key
      expect(result.error).toMatchObject({ code: 'BAD_SIGNATURE', name: 'SsoEmbedError' })
      expect(result.state).toBe('error')
      const frame = await platformFrame(page, stack)
      await frame.waitForSelector('text=BAD_SIGNATURE')
      expect((await events(page)).filter((e) => e.type === 'error')).toMatchObject([{ code: 'BAD_SIGNATURE' }])
      await context.close()
    } finally {
      await other.close()
    }
  })

  test('a host origin that is not registered for the key fails with ORIGIN_NOT_ALLOWED', async () => {
    const unregistered = await startStack({ registerHost: false })
    try {
      const { context, page } = await openHost(browser, unregistered)
      const result = await mount(page, { token: await unregistered.sign() })
      expect(result.error?.code).toBe('ORIGIN_NOT_ALLOWED')
      await context.close()
    } finally {
      await unregistered.close()
    }
  })

  test('a malformed token fails with TOKEN_MALFORMED before anything is sent', async () => {
    const { context, page } = await openHost(browser, stack)
    const exchanges = stack.platform.exchanges
    const result = await mount(page, { token: 'not-a-jwt' })
    expect(result.error?.code).toBe('TOKEN_MALFORMED')
    expect(stack.platform.exchanges).toBe(exchanges)
    await context.close()
  })

  test('an expired token without getToken fails with TOKEN_EXPIRED; with getToken a fresh one is used', async () => {
    const { context, page } = await openHost(browser, stack)
    const expired = await stack.sign({}, -60)
    expect((await mount(page, { token: expired })).error?.code).toBe('TOKEN_EXPIRED')
    const result = await mount(page, { token: expired, hostGetToken: {}, container: '#embed', name: 'second' })
    expect(result.auth?.user.externalId).toBe('ada')
    expect(await tokenCalls(page, 'second')).toBe(1) // signed in with getToken's token, not the expired one
    await context.close()
  })
})

describe('navigation and several embeds', () => {
  test('navigate() moves the frame; a route change inside the frame reaches the host', async () => {
    const { context, page } = await openHost(browser, stack)
    await mount(page, { token: await stack.sign() })
    const frame = await platformFrame(page, stack)
    await withEmbed(page, "embed.navigate('/settings')")
    await frame.waitForSelector('#route:has-text("/settings")')
    expect(new URL(frame.url()).pathname).toBe('/embed/settings')
    await frame.click('text=Flows')
    await expect.poll(async () => (await events(page)).filter((e) => e.type === 'navigate').map((e) => e.path)).toContain('/flows')
    await context.close()
  })

  test('two embeds on one page are independent', async () => {
    const { context, page } = await openHost(browser, stack)
    await page.evaluate(() => {
      for (const id of ['one', 'two']) document.body.insertAdjacentHTML('beforeend', `<div id="${id}"></div>`)
    })
    const [one, two] = await Promise.all([
      mount(page, { token: await stack.sign({ externalUserId: 'one', firstName: 'One' }), container: '#one', name: 'one' }),
      mount(page, { token: await stack.sign({ externalUserId: 'two', firstName: 'Two' }), container: '#two', name: 'two' }),
    ])
    expect(one.auth?.user.externalId).toBe('one')
    expect(two.auth?.user.externalId).toBe('two')
    await withEmbed(page, 'embed.destroy()', 'one')
    expect(await page.locator('#one iframe').count()).toBe(0)
    await withEmbed(page, "embed.navigate('/flows')", 'two')
    const frame = page.frames().find((f) => f.parentFrame() === page.mainFrame() && f.url().includes('/embed/'))!
    await frame.waitForSelector('#route:has-text("/flows")')
    expect(await withEmbed(page, 'return embed.state', 'two')).toBe('ready')
    await context.close()
  })
})
