import { join } from 'node:path'
import type { Frame, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { browserAndStack, openHost } from './harness'

// A page builder that runs pasted code inside its own iframe (a `srcdoc` frame, sandboxed): the
// script-tag snippet of docs/frameworks.md, as it would be pasted, in both kinds of sandbox.

const env = browserAndStack()

/** The snippet pasted into a builder's `srcdoc` frame with `sandbox`, in the host page; resolves with that frame. */
async function pasteInSandbox(sandbox: string): Promise<{ page: Page; builder: Frame; logs: string[] }> {
  const { stack } = env
  const { page, logs } = env.track(await openHost(env.browser, stack))
  const snippet = `<script src="${stack.host.origin}/sso-embed.js"></script>
<sso-embed instance-url="${stack.platform.instanceUrl}" token-url="${stack.host.origin}/api/token"></sso-embed>`
  await page.evaluate(
    ([html, flags]) => {
      const frame = document.createElement('iframe')
      frame.setAttribute('sandbox', flags!)
      frame.srcdoc = html!
      frame.style.cssText = 'width:100%;height:420px;border:0'
      document.querySelector('#embed')!.append(frame)
    },
    [snippet, sandbox],
  )
  await expect.poll(() => page.frames().some((frame) => frame.url() === 'about:srcdoc')).toBe(true)
  const builder = page.frames().find((frame) => frame.url() === 'about:srcdoc')!
  await builder.waitForFunction(() => customElements.get('sso-embed') !== undefined && document.querySelector('sso-embed')?.embed !== undefined)
  return { page, builder, logs }
}

describe('the script tag inside a site builder’s srcdoc frame', () => {
  test('sandbox="allow-scripts allow-same-origin": the frame has the page’s origin, which is registered: it signs in', async () => {
    const { page, builder } = await pasteInSandbox('allow-scripts allow-same-origin')
    expect(await builder.evaluate(() => self.origin)).toBe(env.stack.host.origin)
    const auth = await builder.evaluate(() => document.querySelector('sso-embed')!.embed!.ready.then((a) => a.user.name))
    expect(auth).toBe('Ada Lovelace')
    const platform = page.frames().find((frame) => frame.url().startsWith(env.stack.platform.origin))!
    await expect.poll(() => platform.locator('#status').textContent()).toBe('Signed in as Ada Lovelace')
    expect(await platform.evaluate(() => location.ancestorOrigins[0])).toBe(env.stack.host.origin)
  })

  test('sandbox="allow-scripts" (an opaque origin): HOST_ORIGIN_OPAQUE at once, saying what to change, shown and logged once', async () => {
    const started = Date.now()
    const { page, builder, logs } = await pasteInSandbox('allow-scripts')
    expect(await builder.evaluate(() => self.origin)).toBe('null')
    const error = await builder.evaluate(() =>
      document.querySelector('sso-embed')!.embed!.ready.catch((e: { code: string; message: string }) => ({ code: e.code, message: e.message })),
    )
    expect(error).toMatchObject({ code: 'HOST_ORIGIN_OPAQUE', message: expect.stringContaining('allow-same-origin') })
    expect(Date.now() - started).toBeLessThan(8000) // no handshake timeout (10 s)
    const alert = builder.locator('sso-embed [data-sso-embed-state] [role=alert]')
    await alert.waitFor()
    expect(await alert.locator('p').first().textContent()).toBe('This content cannot run inside this sandboxed page.')
    await expect.poll(() => logs.filter((line) => line.startsWith('[sso-embed] HOST_ORIGIN_OPAQUE')).length).toBe(1)
    // nothing was asked of the platform: no iframe to it, no token fetched
    expect(page.frames().some((frame) => frame.url().startsWith(env.stack.platform.origin))).toBe(false)
    await page.locator('#embed').screenshot({ path: join(import.meta.dirname, '..', 'docs', 'images', 'states-opaque-origin.png') })
  })
})
