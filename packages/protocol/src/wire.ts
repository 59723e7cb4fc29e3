import type { ErrorCode } from './codes'
import type { SerializedError } from './error'

/** How the host hands the first token to the frame. */
export type Transport = 'postMessage' | 'query' | 'fragment'

/**
 * What the frame measured about its storage (see the third-party cookies guide):
 * `unpartitioned` — the platform's own (first-party) cookies reach the frame (third-party cookies
 * allowed, or storage access granted); `partitioned` — only cookies partitioned by the host site (CHIPS)
 * work; `cookieless` — no cookie at all: the session lives in memory and travels as a bearer token.
 */
export type StorageStatus = 'unpartitioned' | 'partitioned' | 'cookieless'

/**
 * The steps of the `storage: 'require'` flow, reported after the measured {@link StorageStatus}:
 * `prompt` (the "Continue" interstitial is shown), `granted`, `denied` (refused or no answer in time),
 * `popup` (a window to the platform's own site was opened so the browser can trust it).
 */
export type StorageAccessStep = 'prompt' | 'granted' | 'denied' | 'popup'

/** How the platform uses storage: `auto` never prompts; `require` asks for its first-party cookies. */
export type StoragePolicy = 'auto' | 'require'

/** A `storageAccess` report: the measured status or a step of the `require` flow, with what was measured. */
/**
 * Why storage access stays denied: the browser never answered in time (`unanswered`, e.g. a prompt
 * nobody answers), said no (`refused`, e.g. Firefox with third-party cookies blocked, or no Storage
 * Access API), or said yes while its cookies stay blocked (`ineffective`, e.g. WebKit without ITP).
 */
export type StorageDenialReason = 'unanswered' | 'refused' | 'ineffective'

export interface StorageAccessReport {
  status: StorageStatus | StorageAccessStep
  /** With `status: 'denied'`: why. */
  reason?: StorageDenialReason
  /** `document.hasStorageAccess()`, `null` where the browser lacks the Storage Access API. */
  hasStorageAccess: boolean | null
  /** Whether `localStorage` works in the frame (it throws in a cross-site frame with third-party cookies blocked). */
  localStorage: boolean
}

/** The signed-in user, as the platform's exchange endpoint reports it. */
export interface EmbedUser {
  /** The platform's id of the user. */
  id: string
  /** The host's own id of the user (the token's user claim), when the platform reports it. */
  externalId?: string
  name?: string
  email?: string
}

/** The project/space the user was signed into, if the platform has one. */
export interface EmbedProject {
  id: string
  /** The host's own id of the project, when the platform reports it. */
  externalId?: string
  name?: string
}

/** Result of a successful sign-in, resolved by `embed.ready` and sent with every `authenticated` event. */
export interface AuthInfo {
  user: EmbedUser
  project: EmbedProject | null
  /** The platform account the session belongs to, when the platform reports it. */
  account?: string | undefined
  /** When the platform session ends, in milliseconds since the epoch. */
  expiresAt: number
}

/**
 * How a frame document signed in: with a token the host handed it (`token`), a fresh one before its
 * session ended (`refresh`), the token on its URL (`url`, query/fragment transports), or by resuming the
 * stored session the host named in its welcome (`resume`).
 */
export type SignInKind = 'token' | 'refresh' | 'url' | 'resume'

/** Presentation options the host passes through to the platform untouched. */
export interface DisplayOptions {
  ui?: Record<string, unknown> | undefined
  locale?: string | undefined
  theme?: string | Record<string, unknown> | undefined
}

/** The greeting every new frame document sends the host, once (a reload greets again). */
export interface FrameHello {
  protocolVersion: number
  sdkVersion: string
  /**
   * The token this document found on its own URL (already removed from the address). The host accepts it
   * only when it put exactly this token there: its transport is `query`/`fragment` and this is the
   * iframe's first document.
   */
  urlToken?: string
}

/** The host's answer to {@link FrameHello}: everything the document needs to sign in, in one message. */
export interface HostWelcome {
  protocolVersion: number
  sdkVersion: string
  transport: Transport
  options: DisplayOptions
  /** The host's storage policy; the platform's own `storage` option takes precedence. */
  storage?: StoragePolicy | undefined
  /**
   * The user this iframe is signed in as (an earlier document of it signed in). Only then may the new
   * document resume a stored session, and only one that names this user (and account).
   */
  resume?: { userId: string; account?: string | undefined } | undefined
  /** Sign in with the URL token (the host put it there, for this first document). */
  useUrlToken?: boolean
  /** The URL token was the host's, but `setToken()` replaced it: drop it quietly and sign in with `token`. */
  supersededUrlToken?: boolean
  /** The first token, carried by the welcome itself (no extra round trip); absent when resuming or using the URL token. */
  token?: string
  /** Why the host has no token to give (the frame shows its own error state instead of waiting). */
  tokenError?: SerializedError
}

/** Events the frame reports to the host through {@link HostMethods.event}: one direction, every time. */
export type FrameEvent =
  | ({ type: 'authenticated'; how: SignInKind } & AuthInfo)
  | { type: 'error'; error: SerializedError }
  | { type: 'sessionExpired' }
  | { type: 'signedOut' }
  | ({ type: 'storageAccess' } & StorageAccessReport)
  | { type: 'resize'; height: number }
  | { type: 'navigate'; path: string }
  | { type: 'platform'; name: string; payload: unknown }

/** Methods the host page exposes to the frame. */
export type HostMethods = {
  /** Each new frame document's one greeting; answered with the welcome (and the first token). */
  hello(params: FrameHello): Promise<HostWelcome>
  /**
   * A fresh JWT (a refresh, a retry, a sign-in the host asked for with `signIn()`). `rejected`: the code
   * the platform refused the last token with (`TOKEN_EXPIRED`, `TOKEN_REPLAYED`), so it is not given again.
   */
  getToken(params?: { rejected?: ErrorCode }): Promise<string>
  event(event: FrameEvent): void
}

/** Methods the frame exposes to the host page. */
export type FrameMethods = {
  /** The host has a new token (`setToken()`): pull it with `getToken()` and sign in again. */
  signIn(): void
  navigate(params: { path: string }): void
  update(params: DisplayOptions): void
  /** A command the platform defined (`embed.send(name, payload)`), answered by its handler in `connectToHost({ commands })`. */
  command(params: { name: string; payload: unknown }): Promise<unknown>
}

/**
 * What a platform adds on top of sso-embed, typed once and shared by its host and frame code: its
 * business events (frame → host, `connection.emit(name, payload)` → `embed.on('platform:<name>')`)
 * and its commands (host → frame, `embed.send(name, payload)` → a handler in `connectToHost({ commands })`).
 */
export interface PlatformContract {
  events: Record<string, unknown>
  commands: Record<string, { payload: unknown; result: unknown }>
}

/** The contract when a platform declares none: any name, `unknown` payloads. */
export interface UntypedPlatform extends PlatformContract {
  events: Record<string, unknown>
  commands: Record<string, { payload: unknown; result: unknown }>
}
