import type { SerializedError } from './error'

/** How the host hands the first token to the frame. */
export type Transport = 'postMessage' | 'query' | 'fragment'

/** What the frame measured about its storage (see the third-party cookies guide). */
export type StorageStatus = 'unpartitioned' | 'partitioned' | 'cookieless'

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
  | { type: 'storageAccess'; status: string }

/** Methods the host page exposes to the frame. */
export type HostMethods = {
  /** A fresh JWT for the frame (first token with `postMessage`, and every refresh). */
  getToken(): Promise<string>
  resized(params: { height: number }): void
  navigated(params: { path: string }): void
  event(event: FrameEvent): void
}

/** Methods the frame exposes to the host page. */
export type FrameMethods = {
  hello(params: HelloParams): HelloResult
  /** Exchanges `token` (or the one that came on the URL when it is absent) for a platform session. */
  authenticate(params: { token?: string }): Promise<AuthInfo>
  navigate(params: { path: string }): void
  update(params: DisplayOptions): void
}
