// Both SDKs speak penpal 7's wire protocol through their own connection (openChannel): each must still
// connect to a peer that uses stock penpal with its WindowMessenger (e.g. a platform that wrote its own frame code).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { expect, test } from 'vitest'
import { mount, openHost, withBrowserAndStack, type Stack } from './harness'

let browser: Browser
let stack: Stack
withBrowserAndStack((b, s) => ([browser, stack] = [b, s]))

const require = createRequire(join(import.meta.dirname, '../package.json'))
const penpalScript = readFileSync(join(dirname(require.resolve('penpal')), 'penpal.min.js'), 'utf8')

/** Serves `html` at `origin/interop/page.html` and stock penpal (global `Penpal`) at `origin/interop/penpal.js`. */
async function servePage(context: BrowserContext, origin: string, html: string): Promise<void> {
  await context.route(`${origin}/interop/*`, (route) =>
    route.request().url().endsWith('/penpal.js')
      ? route.fulfill({ contentType: 'text/javascript', body: penpalScript })
      : route.fulfill({ contentType: 'text/html', body: `<!doctype html><script src="/interop/penpal.js"></script>${html}` }),
  )
}

test("the host SDK signs in to a frame that uses penpal's own WindowMessenger", async () => {
  const { context, page } = await openHost(browser, stack)
  await servePage(
    context,
    stack.platform.origin,
    `<script>
      Penpal.connect({
        messenger: new Penpal.WindowMessenger({ remoteWindow: parent, allowedOrigins: [${JSON.stringify(stack.host.origin)}] }),
        methods: { signIn() {}, navigate() {}, update() {}, command() {} },
      }).promise.then(async (host) => {
        // protocol 2: the frame greets, the welcome carries the first token, the sign-in is reported as an event
        const welcome = await host.hello({ protocolVersion: 2, sdkVersion: 'stock' })
        const user = { id: 'stock:' + welcome.token.split('.').length }
        host.event({ type: 'authenticated', how: 'token', user, project: null, expiresAt: Date.now() + 60000 })
      })
    </script>`,
  )
  const result = await mount(page, { token: await stack.sign(), instanceUrl: stack.platform.origin, path: '/interop/page.html' })
  expect(result.error).toBeUndefined()
  expect(result.auth?.user.id).toBe('stock:3')
  expect(result.state).toBe('ready')
  await context.close()
})

test("the frame SDK signs in for a host that uses penpal's own WindowMessenger", async () => {
  // the demo host page (a page served by a route would count as a public address, and Chromium's local
  // network access checks would block its iframe to 127.0.0.1), with stock penpal instead of the SDK
  const { context, page } = await openHost(browser, stack)
  await page.addScriptTag({ content: penpalScript })
  const token = await stack.sign({ externalUserId: 'stock-host', firstName: 'Stock', lastName: 'Host' })
  const auth = await page.evaluate(
    async ({ token, src, platformOrigin }) => {
      const { Penpal } = window as unknown as { Penpal: { connect(o: object): { promise: Promise<unknown> }; WindowMessenger: new (o: object) => object } }
      const iframe = document.createElement('iframe')
      iframe.src = src
      document.body.append(iframe)
      const signedIn = new Promise<{ user: object }>((resolve) => {
        Penpal.connect({
          messenger: new Penpal.WindowMessenger({ remoteWindow: iframe.contentWindow, allowedOrigins: [platformOrigin] }),
          methods: {
            hello: async () => ({ protocolVersion: 2, sdkVersion: 'stock', transport: 'postMessage', options: {}, token }),
            getToken: async () => token,
            event: (event: { type: string; user: object }) => event.type === 'authenticated' && resolve(event),
          },
        })
      })
      return signedIn
    },
    { token, src: `${stack.platform.instanceUrl}/`, platformOrigin: stack.platform.origin },
  )
  expect(auth.user).toMatchObject({ externalId: 'stock-host', name: 'Stock Host' })
  await context.close()
})

test('a host SDK of protocol 1 meets a frame of protocol 2: PROTOCOL_MISMATCH on both sides, each saying which side to upgrade', async () => {
  const { context, page } = await openHost(browser, stack)
  await page.addScriptTag({ content: penpalScript })
  const outcome = await page.evaluate(
    async ({ src, platformOrigin }) => {
      type Frame = { hello(p: object): Promise<unknown> }
      const { Penpal } = window as unknown as { Penpal: { connect(o: object): { promise: Promise<Frame> }; WindowMessenger: new (o: object) => object } }
      const iframe = document.createElement('iframe')
      iframe.src = src
      document.body.append(iframe)
      // what @sso-embed/core 0.1 (protocol 1) exposed and called first
      const frame = await Penpal.connect({
        messenger: new Penpal.WindowMessenger({ remoteWindow: iframe.contentWindow, allowedOrigins: [platformOrigin] }),
        methods: { getToken: async () => 'x', resized() {}, navigated() {}, event() {}, attached: () => ({ authenticated: false }) },
      }).promise
      return frame.hello({ protocolVersion: 1, sdkVersion: '0.1.0', transport: 'postMessage', options: {} }).then(
        () => 'accepted',
        (error: { code?: string; message: string }) => `${error.code}: ${error.message}`,
      )
    },
    { src: `${stack.platform.instanceUrl}/`, platformOrigin: stack.platform.origin },
  )
  expect(outcome).toMatch(/^PROTOCOL_MISMATCH: .*upgrade @sso-embed\/core on the host page/)
  // the frame, which greeted a host without hello(), shows which side to upgrade
  const frame = page.frames().find((f) => f.url().startsWith(stack.platform.origin))!
  await expect.poll(() => frame.locator('#status').textContent()).toMatch(/^PROTOCOL_MISMATCH: The host page's @sso-embed\/core speaks an older protocol/)
  await context.close()
})
