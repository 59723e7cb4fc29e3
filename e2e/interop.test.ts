// Both SDKs speak penpal 7's wire protocol through their own exact-origin messenger: each must still
// connect to a peer that uses penpal's stock WindowMessenger (e.g. a platform that wrote its own frame code).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { expect, test } from 'vitest'
import { mount, openHost, withBrowserAndStack, type Stack } from './harness'

let browser: Browser
let stack: Stack
withBrowserAndStack((b, s) => ([browser, stack] = [b, s]))

const require = createRequire(join(import.meta.dirname, '../packages/core/package.json'))
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
        methods: {
          hello: () => ({ protocolVersion: 1, sdkVersion: 'stock' }),
          authenticate: ({ token }) => ({ user: { id: 'stock:' + token.split('.').length }, project: null, expiresAt: Date.now() + 60000 }),
          navigate() {},
          update() {},
        },
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
      type Frame = { hello(p: object): Promise<unknown>; authenticate(p: { token: string }): Promise<{ user: object }> }
      const { Penpal } = window as unknown as { Penpal: { connect(o: object): { promise: Promise<Frame> }; WindowMessenger: new (o: object) => object } }
      const iframe = document.createElement('iframe')
      iframe.src = src
      document.body.append(iframe)
      const connection = Penpal.connect({
        messenger: new Penpal.WindowMessenger({ remoteWindow: iframe.contentWindow, allowedOrigins: [platformOrigin] }),
        methods: { getToken: async () => token, resized() {}, navigated() {}, event() {}, attached: () => ({ authenticated: false }) },
      })
      const frame = await connection.promise
      await frame.hello({ protocolVersion: 1, sdkVersion: 'stock', transport: 'postMessage', options: {} })
      return frame.authenticate({ token })
    },
    { token, src: `${stack.platform.instanceUrl}/`, platformOrigin: stack.platform.origin },
  )
  expect(auth.user).toMatchObject({ externalId: 'stock-host', name: 'Stock Host' })
  await context.close()
})
