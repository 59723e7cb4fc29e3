import type { ErrorCode } from './codes'
import type { EmbedProject, EmbedUser } from './wire'

/**
 * The platform's embed endpoints, relative to the exchange endpoint's folder (`…/exchange` →
 * `…/session`, `…/logout`, `…/storage-access`). `@sso-embed/server`'s handler serves them all, and
 * `@sso-embed/frame` derives them from its `exchange` URL.
 */
export const ENDPOINTS = { exchange: 'exchange', session: 'session', logout: 'logout', storageAccess: 'storage-access' } as const

/**
 * Header the frame sends with every request that carries its platform session (`…/session`, `…/logout`
 * and its `fetch` helper): the embedding page's origin as the browser reported it. A session is bound
 * to the host origin it was issued for, and the server refuses it under another one.
 */
export const HOST_ORIGIN_HEADER = 'sso-embed-host-origin'

/** `POST …/exchange` body: the host's JWT and the embedding page's origin as the browser reported it. */
export interface ExchangeRequest {
  token: string
  hostOrigin: string
}

/**
 * The answer of `POST …/exchange` and of `GET …/session` (the session the frame's cookie or bearer
 * token still holds, sent with {@link HOST_ORIGIN_HEADER}): who is signed in, until when, and the bearer token for the platform's API.
 */
export interface ExchangeResponse {
  user: EmbedUser
  project: EmbedProject | null
  /** The platform account the session belongs to (the signing key's account). */
  account?: string
  /** End of the session: ISO 8601, or milliseconds since the epoch. */
  expiresAt: string | number
  /** Bearer token for the platform's API; the frame's `fetch` sends it (never to other origins). */
  sessionToken?: string
  /** What the exchange created (absent on a resumed session). */
  created?: { user: boolean; project: boolean }
}

/** Every error answer of the embed endpoints: a stable code, a message safe to show, and the claim at fault. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; claim?: string }
}
