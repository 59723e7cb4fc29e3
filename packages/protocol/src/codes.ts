/**
 * Every error code sso-embed reports, on the host page, inside the frame and on the server.
 * Codes are stable: new ones may be added, none is ever renamed or removed.
 */
export const ErrorCode = {
  // token
  TOKEN_MALFORMED: 'TOKEN_MALFORMED',
  TOKEN_TOO_LARGE: 'TOKEN_TOO_LARGE',
  ALG_NOT_ALLOWED: 'ALG_NOT_ALLOWED',
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_NOT_YET_VALID: 'TOKEN_NOT_YET_VALID',
  LIFETIME_TOO_LONG: 'LIFETIME_TOO_LONG',
  TOKEN_REPLAYED: 'TOKEN_REPLAYED',
  CLAIM_MISSING: 'CLAIM_MISSING',
  CLAIM_INVALID: 'CLAIM_INVALID',
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  KEY_REJECTED: 'KEY_REJECTED',
  // embed
  HANDSHAKE_TIMEOUT: 'HANDSHAKE_TIMEOUT',
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  CONTAINER_NOT_FOUND: 'CONTAINER_NOT_FOUND',
  TOKEN_UNAVAILABLE: 'TOKEN_UNAVAILABLE',
  STORAGE_ACCESS_DENIED: 'STORAGE_ACCESS_DENIED',
  EXCHANGE_FAILED: 'EXCHANGE_FAILED',
  DESTROYED: 'DESTROYED',
  /** `configure()` or `connectToHost()` was called where there is no browser DOM (e.g. during SSR). */
  BROWSER_REQUIRED: 'BROWSER_REQUIRED',
  /** The frame SDK runs in a page that is not inside an iframe. */
  NOT_EMBEDDED: 'NOT_EMBEDDED',
  /**
   * The frame reported a sign-in the host did not ask for (another user's stored session, a token it was
   * not given): the embed refuses it instead of showing the wrong user.
   */
  UNEXPECTED_SIGN_IN: 'UNEXPECTED_SIGN_IN',
  /**
   * The frame's URL carried a token the host did not put there for this document (only the `query` /
   * `fragment` transports put one, on the iframe's first document): a forged link is never a sign-in.
   */
  URL_TOKEN_REFUSED: 'URL_TOKEN_REFUSED',
  /** `embed.send()` named a command the platform does not handle. */
  UNKNOWN_COMMAND: 'UNKNOWN_COMMAND',
  /** The platform's handler for an `embed.send()` command failed. */
  COMMAND_FAILED: 'COMMAND_FAILED',
  // platform server
  /** A request to the exchange endpoint that is not what it accepts (not JSON, no token, too large, …). */
  REQUEST_INVALID: 'REQUEST_INVALID',
  /** No platform session, or one that is not valid (bad signature, malformed). */
  SESSION_INVALID: 'SESSION_INVALID',
  /** The platform session has ended; the frame asks the host for a fresh token. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** The platform deactivated this user: the exchange refuses them (403) and their sessions have ended. */
  USER_DEACTIVATED: 'USER_DEACTIVATED',
  // embed, continued
  /** The host page's Content-Security-Policy (`frame-src`, `child-src` or `default-src`) blocked the platform's iframe. */
  FRAME_BLOCKED_BY_CSP: 'FRAME_BLOCKED_BY_CSP',
  /**
   * The host page has an opaque origin (`null`: a sandboxed `srcdoc` frame without `allow-same-origin`,
   * a `data:` URL): no platform can register it or answer it, so the embed cannot start.
   */
  HOST_ORIGIN_OPAQUE: 'HOST_ORIGIN_OPAQUE',
} as const

/** One of {@link ErrorCode}'s values; `switch (err.code)` narrows on it. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

const known = new Set<string>(Object.values(ErrorCode))

/** True when `value` is one of sso-embed's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && known.has(value)
}
