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

  /**
   * What an anonymous caller of the exchange endpoint is told instead, when the message names what the
   * platform has registered (origins, kids, algorithms, pinned tenants): `message` and `code` stay for
   * the platform's own logs (`onRejected`), the CLI and library callers.
   */
  readonly public: { code: TokenErrorCode; message: string; claim?: string } | undefined

  constructor(
    code: TokenErrorCode,
    message: string,
    options?: { claim?: string | undefined; cause?: unknown; public?: { code?: TokenErrorCode; message: string } | undefined },
  ) {
    super(code, message, options)
    this.claim = options?.claim
    const shown = options?.public
    this.public = shown && {
      code: shown.code ?? code,
      message: shown.message,
      ...(this.claim !== undefined && shown.code === undefined && { claim: this.claim }),
    }
  }

  /** The JSON the CLI answers with (`claim` only when there is one); the exchange endpoint answers {@link publicJSON}. */
  toJSON(): { code: TokenErrorCode; message: string; claim?: string } {
    return { code: this.code, message: this.message, ...(this.claim !== undefined && { claim: this.claim }) }
  }

  /** What an anonymous caller may see: {@link public} when set, else the same as {@link toJSON}. */
  publicJSON(): { code: TokenErrorCode; message: string; claim?: string } {
    return this.public ?? this.toJSON()
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
