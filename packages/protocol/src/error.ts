import type { ErrorCode } from './codes'

/** An error with a stable {@link ErrorCode}; the only kind of error sso-embed reports for a failure. */
export class SsoEmbedError extends Error {
  override name = 'SsoEmbedError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** The plain shape an {@link SsoEmbedError} takes to cross `postMessage` (structured clone drops class and `code`). */
export interface SerializedError {
  name: string
  message: string
  code: ErrorCode
}

/** penpal's own failures, as our codes (penpal reports a frame without a method as METHOD_NOT_FOUND). */
const penpalCodes: Record<string, ErrorCode> = {
  CONNECTION_DESTROYED: 'DESTROYED',
  METHOD_NOT_FOUND: 'PROTOCOL_MISMATCH',
}

/**
 * Turns any thrown value into a {@link SerializedError}. An error that already carries one of our codes
 * keeps it; anything else becomes `fallback` with the original message.
 */
export function serializeError(error: unknown, fallback: ErrorCode): SerializedError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null
  const raw = e?.code as string
  // any code of ours passes, including ones newer than this SDK; penpal's own are translated, or the fallback
  const code = (penpalCodes[raw] ?? (e?.name !== 'PenpalError' && /^[A-Z][A-Z_]+$/.test(raw) ? raw : fallback)) as ErrorCode
  const message = typeof e?.message === 'string' && e.message ? e.message : String(error)
  return { name: 'SsoEmbedError', message, code }
}

/** Rebuilds an {@link SsoEmbedError} from whatever arrived over the wire, keeping the original as `cause`. */
export function deserializeError(value: unknown, fallback: ErrorCode): SsoEmbedError {
  if (value instanceof SsoEmbedError) return value
  const { code, message } = serializeError(value, fallback)
  return new SsoEmbedError(code, message, { cause: value })
}
