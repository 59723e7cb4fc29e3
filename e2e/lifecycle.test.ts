import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { events, holdFirstExchange, launchChromium, leaks, mount, openHost, platformFrame, startStack, tokenCalls, withEmbed, type Stack } from './harness'

let browser: Browser
let stack: Stack
let shortSessions: Stack

beforeAll(async () => {
  ;[browser, stack, shortSessions] = await Promise.all([launchChromium(), startStack(), startStack({ sessionTtlMs: 2000 })])
})
afterAll(async () => {
  await browser?.close()
  await Promise.all([stack?.close(), shortSessions?.close()])
})

describe('session refresh', () => {
  test('with a 2-second platform session, getToken is called again and the embed stays signed in without reloading', async () => {
    const { context, page } = await openHost(browser, shortSessions)
    const result = await mount(page, { hostGetToken: {} })
    expect(result.state).toBe('ready')
    const frame = await platformFrame(page, shortSessions)
    const marker = await frame.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()))
    const exchanges = shortSessions.platform.exchanges

    // two more session lifetimes: two refreshes, each with a new token from getToken
    await expect.poll(() => tokenCalls(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(3)
    await expect.poll(() => shortSessions.platform.exchanges - exchanges).toBeGreaterThanOrEqual(2)
    await expect.poll(async () => (await events(page)).filter((e) => e.type === 'authenticated').length).toBeGreaterThanOrEqual(3)
    const seen = await events(page)
    expect(seen.filter((e) => e.type === 'error' || e.type === 'sessionExpired')).toEqual([])
    expect(await withEmbed(page, 'return embed.state')).toBe('ready')
    // same document: the iframe was never reloaded
    expect(await frame.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker)
    // and the current session works for the platform's own API
    const me = await frame.evaluate(async () => {
      const connection = (window as unknown as { ssoConnection: { fetch(url: string): Promise<Response> } }).ssoConnection
      return (await connection.fetch('/api/me')).status
    })
    expect(me).toBe(200)
    await context.close()
  })

  test('without getToken the host hears tokenExpired, then sessionExpired', async () => {
    const { context, page } = await openHost(browser, shortSessions)
    await mount(page, { token: await shortSessions.sign() })
    await expect.poll(async () => (await events(page)).map((e) => e.type), { timeout: 5000 }).toContain('sessionExpired')
    const types = (await events(page)).map((e) => e.type)
    expect(types.indexOf('tokenExpired')).toBeGreaterThan(-1)
    expect(types.indexOf('tokenExpired')).toBeLessThan(types.indexOf('sessionExpired'))
    await context.close()
  })

  test('an exchange that fails with TOKEN_EXPIRED asks the host for a fresh token once and succeeds', async () => {
    const { context, page } = await openHost(browser, stack)
    stack.platform.faults.expireNext = 1
    const result = await mount(page, { token: await stack.sign(), hostGetToken: {} })
    expect(result.error).toBeUndefined()
    expect(result.state).toBe('ready')
    expect(await tokenCalls(page)).toBe(1)
    expect(stack.platform.faults.expireNext).toBe(0)
    await context.close()
  })
})

describe('resize', () => {
  test('content that grows then shrinks moves the iframe height both ways', async () => {
    const { context, page } = await openHost(browser, stack)
    await mount(page, { token: await stack.sign() })
    const frame = await platformFrame(page, stack)
    const iframeHeight = () => page.$eval('#embed iframe', (iframe) => iframe.getBoundingClientRect().height)
    const initial = await iframeHeight()

    await frame.evaluate(() => (document.getElementById('filler')!.style.height = '1600px'))
    await expect.poll(iframeHeight).toBeGreaterThan(1600)
    const grown = await iframeHeight()
    expect(grown).toBeGreaterThan(initial)

    await frame.evaluate(() => (document.getElementById('filler')!.style.height = '20px'))
    await expect.poll(iframeHeight).toBeLessThan(600)
    // the frame shows everything without a scrollbar: content height equals the iframe height
    const content = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height)
    expect(Math.abs((await iframeHeight()) - Math.max(content, 150))).toBeLessThanOrEqual(1)
    const heights = (await events(page)).filter((e) => e.type === 'resize').map((e) => e.height as number)
    expect(Math.max(...heights)).toBeGreaterThan(1600)
    expect(heights.at(-1)).toBeLessThan(600)
    await context.close()
  })
})

describe('robustness', () => {
  test('a message from another window or origin is ignored, and logged in debug mode', async () => {
    const { context, page, logs } = await openHost(browser, stack)
    await mount(page, { token: await stack.sign(), debug: true })
    const forged = {
      namespace: 'penpal',
      type: 'CALL',
      id: 'forged',
      methodPath: ['event'],
      args: [{ type: 'error', error: { name: 'SsoEmbedError', code: 'BAD_SIGNATURE', message: 'forged' } }],
    }
    await page.evaluate((message) => {
      // from the host window itself (not the embed's iframe)
      window.postMessage(message, '*')
      // from another origin: an opaque-origin iframe
      const other = document.createElement('iframe')
      other.src = `data:text/html,<script>parent.postMessage(${JSON.stringify(message)}, '*')</script>`
      document.body.append(other)
    }, forged)
    await expect.poll(() => logs.filter((line) => line.includes('ignored a message from another window')).length).toBe(2)
    expect((await events(page)).filter((e) => e.type === 'error')).toEqual([])
    expect(await withEmbed(page, 'return embed.state')).toBe('ready')
    await context.close()
  })

  /**
   * Holds the page's first exchange until `release()`: aborted by the frame's reload before it reaches the
   * platform (`reach: false`), or done by the platform with its answer lost (`reach: true`).
   */
  describe.each([true, false])('a frame that reloads during the first exchange (getToken: %s)', (withGetToken) => {
    test(`before the exchange reached the platform: signs in (${withGetToken ? 'a fresh token' : 'the same token again'})`, async () => {
      const { context, page } = await openHost(browser, stack)
      const held = await holdFirstExchange(context, stack, false)
      const ready = mount(page, withGetToken ? { hostGetToken: {} } : { token: await stack.sign({ firstName: 'Again' }) })
      await expect.poll(held.exchanges, { timeout: 10_000 }).toBe(1)
      await (await platformFrame(page, stack)).evaluate(() => location.reload())
      await page.waitForTimeout(300)
      held.release()
      const result = await ready
      expect(result.error).toBeUndefined()
      expect(result.state).toBe('ready')
      expect(held.exchanges()).toBe(2)
      expect(await tokenCalls(page)).toBe(withGetToken ? 2 : 0)
      await expect.poll(() => platformFrame(page, stack).then((f) => f.locator('#status').textContent())).toMatch(/^Signed in as /)
      await context.close()
    })

    test(`after it reached the platform (the answer lost): ${withGetToken ? 'signs in with a fresh token' : 'TOKEN_REPLAYED'}, never a wait`, async () => {
      const { context, page } = await openHost(browser, stack)
      const held = await holdFirstExchange(context, stack, true)
      const done = stack.platform.exchanges
      const ready = mount(page, withGetToken ? { hostGetToken: {} } : { token: await stack.sign({ firstName: 'Spent' }) })
      await expect.poll(() => stack.platform.exchanges).toBe(done + 1) // the token is spent
      await (await platformFrame(page, stack)).evaluate(() => location.reload())
      await page.waitForTimeout(300)
      held.release()
      const result = await ready
      if (withGetToken) {
        expect(result.state).toBe('ready')
        expect(await tokenCalls(page)).toBe(2)
      } else {
        expect(result.error?.code).toBe('TOKEN_REPLAYED')
        expect(result.state).toBe('error')
      }
      await context.close()
    })
  })

  test('a platform page that never loads the frame SDK ends in HANDSHAKE_TIMEOUT within the timeout (+0.5 s)', async () => {
    const { context, page } = await openHost(browser, stack)
    const result = await mount(page, { token: await stack.sign(), instanceUrl: stack.platform.origin, path: '/bare', timeout: 1500 })
    expect(result.error?.code).toBe('HANDSHAKE_TIMEOUT')
    expect(result.state).toBe('error')
    expect(result.elapsed).toBeGreaterThanOrEqual(1500)
    expect(result.elapsed).toBeLessThanOrEqual(2000)
    await context.close()
  })

  test('200 configure()/destroy() cycles leave no iframe, message listener or timer behind', async () => {
    const { context, page } = await openHost(browser, stack, { instrument: true })
    // the platform accepts each token once (jti): one token per mount
    const tokens = await Promise.all(Array.from({ length: 200 }, () => stack.sign()))
    const before = await leaks(page)
    const outcome = await page.evaluate(async (jwts) => {
      const codes = new Set<string>()
      const count = (window as unknown as { __leaks(): { timers: number; messageListeners: number; iframes: number } }).__leaks
      const during: ReturnType<typeof count>[] = []
      let ready = 0
      for (let i = 0; i < 200; i++) {
        const embed = window.ssoEmbed.configure({ container: '#embed', instanceUrl: window.ssoEmbed.instanceUrl, token: jwts[i]! })
        embed.on('resize', () => {})
        if (i % 20 === 0) {
          await embed.ready
          ready++
        } else if (i % 2 === 0) {
          await new Promise((resolve) => setTimeout(resolve, 5)) // destroy mid-handshake
        }
        if (i < 3) during.push(count()) // what a live embed holds: the counters do see the SDK's
        embed.destroy()
        embed.destroy() // idempotent
        await embed.ready.then(
          () => codes.add('resolved'),
          (error: { code: string }) => codes.add(error.code),
        )
      }
      return { codes: [...codes], ready, during }
    }, tokens)
    expect(outcome.ready).toBe(10)
    expect(outcome.during.every((live) => live.iframes === 1 && live.messageListeners > 0)).toBe(true)
    expect(outcome.during[2]!.timers).toBeGreaterThan(0) // mid-handshake: its timeout is running
    expect(outcome.codes.sort()).toEqual(['DESTROYED', 'resolved'])
    await page.waitForTimeout(300)
    expect(await leaks(page)).toEqual({ ...before, iframes: 0 })
    expect(before.messageListeners).toBe(0)
    await context.close()
  })
})
