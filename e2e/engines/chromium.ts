import type { BrowserContext, Frame, Page } from 'playwright-core'
import { cookieContext, launchChromium, type CookieMode as ChromiumMode } from '../harness'
import { callExpression, until, type CookieMode, type Engine, type EnginePage, type Sites } from './driver'

/** Its cookie modes, as the matrix runs them. */
export const chromiumModes: Array<CookieMode & { id: ChromiumMode }> = [
  { id: 'allowed', label: 'third-party cookies allowed (a profile that allows them)', grantsStorageAccess: false },
  { id: 'blocked', label: 'third-party cookies blocked (headless default); storage access never answered', grantsStorageAccess: false },
  {
    id: 'granted',
    label: 'third-party cookies blocked; storage access granted (the `storage-access` permission: the user accepted before)',
    grantsStorageAccess: true,
  },
]

/** Debian's Chromium through Playwright, on HTTPS with certificate errors ignored (the test CA). */
export function chromiumEngine(): Engine {
  const browser = launchChromium(['--ignore-certificate-errors'])
  return {
    name: 'chromium',
    modes: chromiumModes,
    version: async () => `Chromium ${(await browser).version()}`,
    async open(mode, at) {
      const context = await cookieContext(await browser, mode.id as ChromiumMode, { ignoreHTTPSErrors: true })
      const page = await context.newPage()
      const noise: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') noise.push(`${message.type()}: ${message.text()}`)
      })
      page.on('pageerror', (error) => noise.push(`pageerror: ${error.message}`))
      await page.goto(at.host)
      return chromiumPage(context, page, at, noise)
    },
    close: async () => (await browser).close(),
  }
}

function chromiumPage(context: BrowserContext, page: Page, at: Sites, noise: string[]): EnginePage {
  const frame = () => until<Frame>(async () => page.frames().find((f) => f.url().startsWith(at.platform)), 'the platform frame')
  return {
    host: (fn, arg) => page.evaluate(callExpression(fn, arg)),
    frame: async (fn, arg) => (await frame()).evaluate(callExpression(fn, arg)),
    clickInFrame: async (css) => (await frame()).locator(css).click(),
    async popup(css, popupCss) {
      const [popup] = await Promise.all([context.waitForEvent('page'), (await frame()).locator(css).click()])
      await popup.waitForLoadState()
      const url = popup.url()
      await popup.locator(popupCss).click()
      return url
    },
    async topLevel(url, fn, arg) {
      const tab = await context.newPage()
      try {
        await tab.goto(url)
        return await tab.evaluate(callExpression(fn, arg))
      } finally {
        await tab.close()
      }
    },
    noise: async () => [...noise],
    close: () => context.close(),
  }
}
