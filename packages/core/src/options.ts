import type { DisplayOptions, StoragePolicy, Transport } from '@sso-embed/protocol'

/** Attributes set on the `<iframe>` element (`className` becomes `class`). */
export interface IframeAttributes {
  title?: string
  className?: string
  allow?: string
  sandbox?: string
  referrerPolicy?: ReferrerPolicy
  loading?: 'eager' | 'lazy'
  name?: string
  id?: string
}

/** Options of {@link configure}. Unknown keys are refused, so a typo fails loudly. */
export interface EmbedOptions extends DisplayOptions {
  /** The platform's origin plus an optional base path, e.g. `https://app.example.com/embed`. */
  instanceUrl: string
  /** Element to mount the iframe in, or a CSS selector for it. */
  container: Element | string
  /**
   * Your account's public id at the platform (an embed id it gave you; not a secret). The iframe URL
   * names it (`?account=`), so a platform with many customers answers with your account's allowed
   * origins only.
   */
  account?: string
  /** Initial route inside the platform, relative to `instanceUrl`. Default `/`. */
  path?: string
  /** A JWT signed by your backend. When absent, `getToken` (or `tokenUrl`) provides the first one. */
  token?: string
  /**
   * Returns a fresh JWT; called for the first token when `token` is absent and whenever the frame needs a
   * new one. A call that does not settle in 30 s fails with `TOKEN_UNAVAILABLE` (the error view offers *Retry*).
   */
  getToken?: () => Promise<string>
  /** Shortcut for `getToken`: a URL of your backend that answers with a JWT (text or `{ "token": … }`), fetched with credentials (30 s at most, as `getToken`). */
  tokenUrl?: string
  /** How the first token reaches the frame. `postMessage` (default) keeps it out of every URL. */
  transport?: Transport
  /** Follow the frame's content height. Default `true`. */
  autoResize?: boolean
  /** Lowest iframe height in pixels. Default `150`. */
  minHeight?: number
  /** Milliseconds for the frame to answer the handshake before `HANDSHAKE_TIMEOUT`. Default `10000`. */
  timeout?: number
  /** Log the protocol to the console, including messages that were ignored. */
  debug?: boolean
  /**
   * Storage policy when the platform does not set its own: `auto` (default) never prompts and uses a
   * cookieless session where cookies are blocked; `require` asks the user for storage access.
   */
  storage?: StoragePolicy
  /**
   * Attributes for the iframe element (`title`, `className`, `allow`, `sandbox`, …). `allow` always
   * gets `storage-access`; a `sandbox` always gets the tokens the embed needs.
   */
  iframe?: IframeAttributes
  /** Show a loading placeholder in the container until signed in. Default `true`; `false` leaves it to you. */
  loading?: boolean
  /** Show a short message per error code (and *Retry* where it helps) when the embed fails. Default `true`. */
  errorView?: boolean
  /** Texts of the loading and error views: `loading`, `retry`, `error` (the fallback), or an error code. Built in: English, French (by `locale`). */
  messages?: Record<string, string>
}

/** Options that decide where and how the iframe is mounted: `update()` refuses them, wrappers remount for them. */
export const MOUNT_OPTIONS = ['instanceUrl', 'container', 'account', 'transport', 'storage'] as const

/** Options after validation, with defaults applied. */
export type ResolvedOptions = EmbedOptions & Required<Pick<EmbedOptions, 'path' | 'transport' | 'autoResize' | 'minHeight' | 'timeout'>>

const isString = (v: unknown) => typeof v === 'string'
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)
const isBoolean = (v: unknown) => typeof v === 'boolean'
const isLength = (v: unknown) => typeof v === 'number' && v >= 0 && v < Infinity

function isInstanceUrl(v: unknown): boolean {
  try {
    const url = new URL(v as string)
    return /^https?:$/.test(url.protocol) && !url.search && !url.hash && !url.username && !url.password
  } catch {
    return false
  }
}

const rules: Record<keyof EmbedOptions, [(v: unknown) => boolean, string]> = {
  instanceUrl: [isInstanceUrl, 'an http(s) URL without query or hash'],
  container: [(v) => isString(v) || (v as Node | null)?.nodeType === 1, 'an element or selector'],
  account: [(v) => isString(v) && /^[\w.~-]{1,128}$/.test(v as string), 'an account id (letters, digits, _ . ~ -)'],
  path: [(v) => isString(v) && (v as string)[0] === '/', 'a path starting with /'],
  token: [isString, 'a JWT string'],
  getToken: [(v) => typeof v === 'function', 'a function'],
  tokenUrl: [isString, 'a URL'],
  transport: [(v) => ['postMessage', 'query', 'fragment'].includes(v as string), '"postMessage", "query" or "fragment"'],
  autoResize: [isBoolean, 'a boolean'],
  minHeight: [isLength, 'a number ≥ 0'],
  timeout: [(v) => isLength(v) && (v as number) > 0, 'a number > 0'],
  debug: [isBoolean, 'a boolean'],
  ui: [isObject, 'an object'],
  locale: [isString, 'a string'],
  theme: [(v) => isString(v) || isObject(v), 'a string or an object'],
  storage: [(v) => v === 'auto' || v === 'require', '"auto" or "require"'],
  iframe: [isObject, 'an object'],
  loading: [isBoolean, 'a boolean'],
  errorView: [isBoolean, 'a boolean'],
  messages: [(v) => isObject(v) && Object.values(v as object).every(isString), 'an object of strings'],
}

/** Checks every option, throwing a `TypeError` that names the option and what it must be. */
export function validateOptions(options: EmbedOptions, where = 'configure()'): ResolvedOptions {
  if (!isObject(options)) throw new TypeError(`${where}: options must be an object`)
  for (const [key, value] of Object.entries(options)) {
    const rule = rules[key as keyof EmbedOptions]
    if (!rule) throw new TypeError(`${where}: unknown option "${key}"`)
    if (value !== undefined && !rule[0](value)) throw new TypeError(`${where}: ${key} must be ${rule[1]}`)
  }
  for (const key of ['instanceUrl', 'container'] as const) {
    if (options[key] === undefined) throw new TypeError(`${where}: ${key} is required (${rules[key][1]})`)
  }
  if (options.token === undefined && !options.getToken && options.tokenUrl === undefined) {
    throw new TypeError(`${where}: token, getToken or tokenUrl is required`)
  }
  return { path: '/', transport: 'postMessage', autoResize: true, minHeight: 150, timeout: 10_000, ...definedOnly(options) }
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
