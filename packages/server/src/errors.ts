import { SsoEmbedError, type ErrorCode } from '@sso-embed/protocol'

/** The codes a token can be rejected with (see the error code reference). */
export type TokenErrorCode = Extract<
  ErrorCode,
  | 'TOKEN_MALFORMED'
  | 'TOKEN_TOO_LARGE'
  | 'ALG_NOT_ALLOWED'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'LIFETIME_TOO_LONG'
  | 'TOKEN_REPLAYED'
  | 'CLAIM_MISSING'
  | 'CLAIM_INVALID'
  | 'ORIGIN_NOT_ALLOWED'
>

/**
 * Why a token was rejected: a stable `code`, the `claim` concerned where there is one, and a message
 * written for the engineer who signed the token, saying what to change.
 */
export class EmbedTokenError extends SsoEmbedError {
  override name = 'EmbedTokenError'
  declare readonly code: TokenErrorCode
  /** The claim (or header parameter) the rule is about, e.g. `exp`, `role`, `kid`. */
  readonly claim: string | undefined

  constructor(code: TokenErrorCode, message: string, options?: { claim?: string | undefined; cause?: unknown }) {
    super(code, message, options)
    this.claim = options?.claim
  }

  /** The JSON the CLI and the exchange endpoint answer with (`claim` only when there is one). */
  toJSON(): { code: TokenErrorCode; message: string; claim?: string } {
    return { code: this.code, message: this.message, ...(this.claim !== undefined && { claim: this.claim }) }
  }
}

/** A key refused at import: too weak, of the wrong type for its algorithm, or unreadable. Code `KEY_REJECTED`. */
export class KeyRejectedError extends SsoEmbedError {
  override name = 'KeyRejectedError'
  declare readonly code: 'KEY_REJECTED'

  constructor(message: string, options?: { cause?: unknown }) {
    super('KEY_REJECTED', message, options)
  }
}
