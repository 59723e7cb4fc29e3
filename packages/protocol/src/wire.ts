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
export interface StorageAccessReport {
  status: StorageStatus | StorageAccessStep
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
  /** When the platform session ends, in milliseconds since the epoch. */
  expiresAt: number
}

/** Presentation options the host passes through to the platform untouched. */
export interface DisplayOptions {
  ui?: Record<string, unknown> | undefined
  locale?: string | undefined
  theme?: string | Record<string, unknown> | undefined
}

export interface HelloParams {
  protocolVersion: number
  sdkVersion: string
  transport: Transport
  options: DisplayOptions
  /** The host's storage policy; the platform's own `storage` option takes precedence. */
  storage?: StoragePolicy
}

export interface HelloResult {
  protocolVersion: number
  sdkVersion: string
}

/** Events the frame pushes to the host through {@link HostMethods.event}. */
export type FrameEvent =
  | ({ type: 'authenticated' } & AuthInfo)
  | { type: 'error'; error: SerializedError }
  | { type: 'sessionExpired' }
  | ({ type: 'storageAccess' } & StorageAccessReport)

/** Methods the host page exposes to the frame. */
export type HostMethods = {
  /** A fresh JWT for the frame (first token with `postMessage`, and every refresh). */
  getToken(): Promise<string>
  resized(params: { height: number }): void
  navigated(params: { path: string }): void
  event(event: FrameEvent): void
  /**
   * Called by every frame document once connected. `authenticated: true` means the host already signed
   * in an earlier document of this iframe (the frame reloaded or navigated), so the new document resumes
   * the session itself instead of waiting for `authenticate()`.
   */
  attached(): { authenticated: boolean; storage?: StoragePolicy; options?: DisplayOptions }
}

/** Methods the frame exposes to the host page. */
export type FrameMethods = {
  hello(params: HelloParams): HelloResult
  /** Exchanges `token` (or the one that came on the URL when it is absent) for a platform session. */
  authenticate(params: { token?: string }): Promise<AuthInfo>
  navigate(params: { path: string }): void
  update(params: DisplayOptions): void
}
