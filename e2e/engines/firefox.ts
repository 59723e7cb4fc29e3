import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import puppeteer, { type Browser, type BrowserContext, type Frame, type Page } from 'puppeteer-core'
import { firefoxPath } from '../../scripts/engines.mjs'
import { callExpression, until, type CookieMode, type Engine, type EnginePage, type Sites } from './driver'

type FirefoxMode = CookieMode & {
  cookieBehavior: 0 | 1 | 5
  /**
   * The user's earlier "Allow", as Firefox stores it: `page` — `3rdPartyStorage^<platform origin>` on the
   * host, which Firefox applies to the platform's frames when they load; `frame` —
   * `3rdPartyFrameStorage^<platform site>`, a grant to the frame that stays inactive until the frame
   * asks (`requestStorageAccess()`) or the platform activates it (`Activate-Storage-Access`).
   */
  grant?: 'page' | 'frame'
  /** `dom.storage_access.headers.enabled` (off by default in 153 ESR): the Storage Access Headers. */
  headers?: boolean
}

/** Its cookie modes, as the matrix runs them. */
export const firefoxModes: FirefoxMode[] = [
  { id: 'allow-all', label: 'all cookies allowed (cookieBehavior 0)', cookieBehavior: 0, grantsStorageAccess: false },
  { id: 'tcp', label: 'Total Cookie Protection (cookieBehavior 5, the default); storage access never answered', cookieBehavior: 5, grantsStorageAccess: false },
  {
    id: 'tcp-granted',
    label: 'Total Cookie Protection; storage access pre-granted for the host page (3rdPartyStorage)',
    cookieBehavior: 5,
    grantsStorageAccess: true,
    grant: 'page',
  },
  {
    id: 'tcp-returning',
    label:
      'Total Cookie Protection; a returning user whose frame was granted storage access (3rdPartyFrameStorage); Storage Access Headers on (dom.storage_access.headers.enabled)',
    cookieBehavior: 5,
    grantsStorageAccess: true,
    grant: 'frame',
    headers: true,
  },
  {
    id: 'tcp-returning-no-headers',
    label: 'Total Cookie Protection; the same returning user; Storage Access Headers off (the 153 ESR default)',
    cookieBehavior: 5,
    grantsStorageAccess: true,
    grant: 'frame',
  },
  { id: 'strict', label: 'third-party cookies blocked (cookieBehavior 1)', cookieBehavior: 1, grantsStorageAccess: false },
]

/**
 * Debian's firefox-esr through puppeteer-core over WebDriver BiDi, headless; one browser per cookie mode
 * (the mode is a preference read at launch), one user context (cookie jar) per page.
 */
export function firefoxEngine(): Engine {
  const browsers = new Map<string, Promise<{ browser: Browser; dir: string }>>()
  const launch = (mode: FirefoxMode, at: Sites) => {
    let launched = browsers.get(mode.id)
    if (!launched) {
      launched = (async () => {
        const dir = mkdtempSync(join(tmpdir(), 'sso-embed-firefox-'))
        const prefs: Record<string, unknown> = {
          'network.cookie.cookieBehavior': mode.cookieBehavior,
          'dom.storage_access.headers.enabled': mode.headers === true,
        }
        if (mode.grant) {
          // the user's earlier "Allow" on the host page, as Firefox stores it (storage access is not a BiDi permission in 153);
          // a frame grant is keyed by the platform's site (scheme and host: every port of 127.0.0.1)
          const file = join(dir, 'permissions.txt')
          const platform = new URL(at.platform)
          const type = mode.grant === 'page' ? `3rdPartyStorage^${platform.origin}` : `3rdPartyFrameStorage^${platform.protocol}//${platform.hostname}`
          writeFileSync(file, `origin\t${type}\t1\t${new URL(at.host).origin}\n`)
          prefs['permissions.manager.defaultsUrl'] = pathToFileURL(file).href
        }
        const browser = await puppeteer.launch({
          browser: 'firefox',
          executablePath: firefoxPath,
          headless: true,
          acceptInsecureCerts: true,
          extraPrefsFirefox: prefs,
        })
        return { browser, dir }
      })()
      browsers.set(mode.id, launched)
    }
    return launched
  }
  return {
    name: 'firefox',
    modes: firefoxModes,
    async version() {
      const { browser } = await launch(firefoxModes[1]!, { host: 'https://localhost', platform: 'https://127.0.0.1' })
      return (await browser.version()).replace(/^firefox\//i, 'Firefox ')
    },
    async open(mode, at) {
      const { browser } = await launch(mode as FirefoxMode, at)
      // the pre-granted permission belongs to the default user context: that mode uses it (a fresh browser per file)
      const context = mode.grantsStorageAccess ? browser.defaultBrowserContext() : await browser.createBrowserContext()
      const page = await context.newPage()
      const noise: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warn') noise.push(`${message.type()}: ${message.text()}`)
      })
      page.on('pageerror', (error) => noise.push(`pageerror: ${(error as Error).message}`))
      await page.goto(at.host)
      return firefoxPage(context, page, at, noise, mode.grantsStorageAccess)
    },
    async close() {
      for (const launched of browsers.values()) {
        const { browser, dir } = await launched.catch(() => ({ browser: undefined, dir: undefined }))
        await browser?.close().catch(() => undefined)
        if (dir) rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

function firefoxPage(context: BrowserContext, page: Page, at: Sites, noise: string[], shared: boolean): EnginePage {
  const frame = () => until<Frame>(async () => page.frames().find((f) => f.url().startsWith(at.platform)), 'the platform frame')
  const click = async (target: Frame | Page, css: string, visible = true) => {
    const element = await target.waitForSelector(css, { visible, timeout: 10_000 })
    await element!.click()
  }
  return {
    host: (fn, arg) => page.evaluate(callExpression(fn, arg)) as never,
    frame: async (fn, arg) => (await frame()).evaluate(callExpression(fn, arg)) as never,
    clickInFrame: async (css) => click(await frame(), css),
    async popup(css, popupCss) {
      // a window opened from a frame: looked for among the context's pages (Firefox first opens it on
      // about:blank and replaces that browsing context, so a page object taken early is left pointing at
      // a discarded one). Its button closes the window: the click runs after the evaluate has answered.
      await click(await frame(), css)
      return until(async () => {
        for (const candidate of await context.pages()) {
          if (candidate === page || !candidate.url().startsWith(at.platform)) continue
          const found = await candidate.evaluate((selector: string) => {
            const button = document.querySelector<HTMLElement>(selector)
            if (button) setTimeout(() => button.click(), 50)
            return !!button
          }, popupCss)
          if (found) return candidate.url()
        }
        return undefined
      }, "the popup's button")
    },
    async topLevel(url, fn, arg) {
      const tab = await context.newPage()
      try {
        await tab.goto(url)
        return (await tab.evaluate(callExpression(fn, arg))) as never
      } finally {
        await tab.close()
      }
    },
    noise: async () => [...noise],
    async close() {
      if (shared) {
        await page.close()
        await context.deleteCookie(...(await context.cookies())).catch(() => undefined)
      } else await context.close()
    },
  }
}
