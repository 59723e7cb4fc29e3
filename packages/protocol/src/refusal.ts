import type { ErrorCode } from './codes'

/**
 * The one message a frame sends to a parent it will not talk to: "this page of the platform runs, but
 * does not allow your origin". It is posted to that parent's exact origin (the one the browser reported),
 * carries no data of the platform, and lets the host tell `ORIGIN_NOT_ALLOWED` from a page that never
 * runs the frame SDK, instead of waiting for `HANDSHAKE_TIMEOUT`.
 */
export interface Refusal {
  type: typeof REFUSAL
  code: ErrorCode
}

export const REFUSAL = 'sso-embed:refused'

/** True when `data` is a {@link Refusal}. */
export const isRefusal = (data: unknown): data is Refusal =>
  typeof data === 'object' && data !== null && (data as Refusal).type === REFUSAL && typeof (data as Refusal).code === 'string'

/** Where the docs explain `code` (an anchor of the error codes page). */
export const docsUrl = (code: string): string => `https://sso-embed.dev/errors#${code.toLowerCase().replaceAll('_', '-')}`
