// What an end-to-end test needs of a browser engine, the same for Chromium (Playwright), Firefox
// (puppeteer-core over WebDriver BiDi) and WebKit (classic WebDriver): a host page, scripts in it and in
// the platform's frame, real clicks (user activation for the Storage Access API), a popup, a top-level
// tab on the platform's site, and the console of both documents.

export type EngineName = 'chromium' | 'firefox' | 'webkit'

/** An in-page function: serialised with `toString()`, so it must not close over anything. */
export type PageFunction<A, T> = (arg: A) => T | Promise<T>

/** One third-party-cookie situation of an engine (a launch option or profile setting). */
export interface CookieMode {
  /** Short id, used in test names and the support table (e.g. `tcp`, `no-third-party`). */
  id: string
  /** What the mode is, for people (e.g. "Total Cookie Protection (cookieBehavior 5, the default)"). */
  label: string
  /** A `requestStorageAccess()` after a click is granted (the user accepts) — where automation can do that. */
  grantsStorageAccess: boolean
}

export interface EnginePage {
  /** Runs `fn(arg)` in the host page; resolves with its (JSON) result. */
  host<A, T>(fn: PageFunction<A, T>, arg: A): Promise<T>
  /** Runs `fn(arg)` in the platform's frame (waiting for it to exist). */
  frame<A, T>(fn: PageFunction<A, T>, arg: A): Promise<T>
  /** A real click (with user activation) on the element `css` in the platform's frame. */
  clickInFrame(css: string): Promise<void>
  /** Clicks `css` in the frame, waits for the popup it opens, clicks `popupCss` there (the popup closes itself); resolves with the popup's URL. */
  popup(css: string, popupCss: string): Promise<string>
  /** Opens `url` in a new top-level tab of the same profile, runs `fn(arg)` there, closes the tab. */
  topLevel<A, T>(url: string, fn: PageFunction<A, T>, arg: A): Promise<T>
  /** Console errors and warnings and uncaught errors so far, of the host page and the frame. */
  noise(): Promise<string[]>
  close(): Promise<void>
}

/** The host page's URL and the platform's origin. */
export interface Sites {
  host: string
  platform: string
}

export interface Engine {
  name: EngineName
  /** The browser's product and version, e.g. `Firefox 153.8.0esr`. */
  version(): Promise<string>
  modes: CookieMode[]
  /** A fresh page (its own cookie jar) in `mode` on `at.host`; the frame is the one from `at.platform`. */
  open(mode: CookieMode, at: Sites): Promise<EnginePage>
  close(): Promise<void>
}

/**
 * `fn(arg)` as a self-contained expression, for drivers that take script text. (`__name` is the helper
 * a transpiler that keeps function names may call inside `fn`; the page has none.)
 */
export const callExpression = <A, T>(fn: PageFunction<A, T>, arg: A): string =>
  `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg ?? null)}) })()`

/** Polls `check` until it returns a value that is not `undefined` (or `timeout` ms pass). */
export async function until<T>(check: () => Promise<T | undefined>, what: string, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
