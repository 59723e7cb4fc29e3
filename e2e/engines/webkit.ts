import { spawn, type ChildProcess } from 'node:child_process'
import { ensureWebKit } from '../../scripts/engines.mjs'
import { freePort } from '../harness'
import { callExpression, until, type CookieMode, type Engine, type EnginePage, type PageFunction, type Sites } from './driver'
import { WebDriverSession, type WebDriverElement } from './webdriver'

type WebKitMode = CookieMode & { args: string[] }

/** Its cookie modes, as the matrix runs them. */
export const webkitModes: WebKitMode[] = [
  { id: 'always', label: 'all cookies accepted (--cookies-policy=always)', args: ['--cookies-policy=always'], grantsStorageAccess: false },
  {
    id: 'no-third-party',
    label: 'third-party cookies blocked (--cookies-policy=no-third-party, the default), ITP off',
    args: ['--cookies-policy=no-third-party'],
    grantsStorageAccess: false,
  },
  {
    id: 'itp',
    label: 'third-party cookies blocked, Intelligent Tracking Prevention on (--enable-itp)',
    args: ['--cookies-policy=no-third-party', '--enable-itp'],
    grantsStorageAccess: false,
  },
]

/**
 * WebKitGTK's MiniBrowser under Xvfb, through WebKitWebDriver (classic WebDriver). WebKitWebDriver runs
 * one session at a time: each page is a session of its own (a fresh, ephemeral MiniBrowser), quit when
 * the page closes, and `open()` waits for the previous one to be quit.
 */
const SESSION_TIMEOUT = 30_000

export function webkitEngine(): Engine {
  const paths = ensureWebKit()
  let driver: Promise<{ process: ChildProcess; url: string }> | undefined
  let busy: Promise<void> = Promise.resolve()
  let browserVersion: string | undefined // from the first session: no session of its own at the end
  const start = () =>
    (driver ??= (async () => {
      const port = await freePort()
      const child = spawn(paths.xvfbRun, ['-a', '-s', '-screen 0 1280x1024x24', paths.driver, `--port=${port}`], { detached: true, stdio: 'ignore' })
      const url = `http://127.0.0.1:${port}`
      await until(async () => ((await fetch(`${url}/status`)).ok ? true : undefined), 'WebKitWebDriver to start', 20_000)
      return { process: child, url }
    })())
  /** Ends the driver this engine started: xvfb-run, its Xvfb, WebKitWebDriver and its MiniBrowser (one process group). */
  const stop = async () => {
    const started = await driver?.catch(() => undefined)
    driver = undefined
    if (!started?.process.pid) return
    try {
      process.kill(-started.process.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  const session = async (mode: WebKitMode, attempt = 1): Promise<WebDriverSession> => {
    const { url } = await start()
    const capabilities = {
      browserName: 'MiniBrowser',
      acceptInsecureCerts: true,
      'webkitgtk:browserOptions': { binary: paths.miniBrowser, args: ['--automation', ...mode.args] },
    }
    let created: WebDriverSession
    try {
      // a MiniBrowser comes up in 1–3 s; now and then one never answers, and the driver, busy with it, never will
      created = await WebDriverSession.create(url, capabilities, SESSION_TIMEOUT)
    } catch (error) {
      if (attempt > 1 || (error as Error).name !== 'TimeoutError') throw error
      await stop() // a fresh driver (and display) for the second try
      return session(mode, attempt + 1)
    }
    browserVersion ??= String(created.capabilities['browserVersion'])
    return created
  }
  return {
    name: 'webkit',
    modes: webkitModes,
    async version() {
      if (browserVersion === undefined) {
        await busy // one session at a time
        await (await session(webkitModes[0]!)).quit()
      }
      return `WebKitGTK ${browserVersion}`
    },
    async open(mode, at) {
      const previous = busy
      let release!: () => void
      busy = new Promise((resolve) => (release = resolve))
      await previous
      try {
        const s = await session(mode as WebKitMode)
        await s.setScriptTimeout(60_000)
        await s.goto(at.host)
        return webkitPage(s, at, release)
      } catch (error) {
        release()
        throw error
      }
    },
    async close() {
      await busy
      await stop()
    },
  }
}

/** Runs `fn(arg)` in the current browsing context and rethrows a page error here. */
async function run<A, T>(s: WebDriverSession, fn: PageFunction<A, T>, arg: A): Promise<T> {
  const script = `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => ${callExpression(fn, arg)}).then((value) => done({ value: value === undefined ? null : value }), (error) => done({ error: String(error && error.stack || error) }))`
  const result = (await s.executeAsync(script)) as { value?: T; error?: string }
  if (result.error !== undefined) throw new Error(`in the page: ${result.error}`)
  return result.value as T
}

function webkitPage(s: WebDriverSession, at: Sites, release: () => void): EnginePage {
  const inFrame = async <T>(action: () => Promise<T>): Promise<T> => {
    await s.frame(null)
    const iframe = await until<WebDriverElement>(() => s.find(`iframe[src^="${at.platform}"]`), 'the platform frame')
    await s.frame(iframe)
    try {
      return await action()
    } finally {
      await s.frame(null)
    }
  }
  const click = async (css: string) => s.click(await until(() => s.find(css), `${css} in the frame`))
  return {
    host: (fn, arg) => run(s, fn, arg),
    frame: (fn, arg) => inFrame(() => run(s, fn, arg)),
    clickInFrame: async (css) => void (await inFrame(() => click(css))),
    async popup(css, popupCss) {
      const main = await s.window()
      const before = await s.windows()
      await inFrame(() => click(css))
      const handle = await until(async () => (await s.windows()).find((h) => !before.includes(h)), 'the popup')
      await s.switchWindow(handle)
      try {
        const url = await until(async () => {
          const href = (await s.execute('return location.href')) as string
          return href.startsWith('http') ? href : undefined
        }, 'the popup to load')
        await s.click(await until(() => s.find(popupCss), `${popupCss} in the popup`))
        return url
      } finally {
        await s.switchWindow(main)
      }
    },
    async topLevel(url, fn, arg) {
      const main = await s.window()
      const tab = await s.newWindow()
      await s.switchWindow(tab)
      try {
        await s.goto(url)
        return await run(s, fn, arg)
      } finally {
        await s.closeWindow().catch(() => undefined)
        await s.switchWindow(main)
      }
    },
    // classic WebDriver has no console (and MiniBrowser's own output does not reach this process): the
    // matrix reads the collector its servers put in every page
    noise: async () => [],
    async close() {
      try {
        await s.quit()
      } finally {
        release()
      }
    },
  }
}
