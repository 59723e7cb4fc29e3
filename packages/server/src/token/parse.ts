import { EmbedTokenError } from '../errors'
import type { Claims } from '../profiles/claims'

/** A token's JOSE header. `jku`, `x5u`, `x5c` and `jwk` may be present but are never used to find a key. */
export interface TokenHeader {
  readonly alg: string
  readonly kid?: string
  readonly typ?: string
  readonly [parameter: string]: unknown
}

export interface ParsedToken {
  header: TokenHeader
  /** the payload, still base64url: it is only decoded once the signature is known to be good */
  payloadPart: string
  /** `header.payload`, the bytes the signature covers */
  signingInput: string
  signature: Buffer
}

const BASE64URL = /^[A-Za-z0-9_-]*$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

function malformed(message: string, claim?: string): never {
  throw new EmbedTokenError('TOKEN_MALFORMED', message, { claim })
}

function assertBase64url(part: string, name: string): void {
  if (!BASE64URL.test(part)) malformed(`The ${name} is not base64url (only A–Z, a–z, 0–9, "-" and "_", no "=" padding).`)
}

/** Decodes one base64url part, refusing padding, stray characters and non-canonical encodings (which would make tokens malleable). */
function decodePart(part: string, name: string): Buffer {
  assertBase64url(part, name)
  const bytes = Buffer.from(part, 'base64url')
  if (bytes.toString('base64url') !== part) malformed(`The ${name} is not canonical base64url.`)
  return bytes
}

function decodeJson(bytes: Uint8Array, name: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(bytes))
  } catch {
    malformed(`The ${name} is not UTF-8 JSON.`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) malformed(`The ${name} is not a JSON object.`)
  return value as Record<string, unknown>
}

/** A token's claims from its payload bytes; `TOKEN_MALFORMED` unless they are a UTF-8 JSON object. */
export function decodeClaims(payload: Uint8Array): Claims {
  return decodeJson(payload, 'payload')
}

/** A token's claims from its base64url payload part, for tools that read tokens without verifying them. */
export function decodePayloadPart(payloadPart: string): Claims {
  assertBase64url(payloadPart, 'payload')
  return decodeClaims(Buffer.from(payloadPart, 'base64url'))
}

/**
 * Splits a compact JWS and decodes its header, refusing anything else with `TOKEN_TOO_LARGE` or
 * `TOKEN_MALFORMED`. The payload stays encoded and the signature unchecked: the signature covers the
 * encoded parts as they are, and only the signature's own encoding must be canonical (else one
 * signature would have several spellings).
 */
export function parseToken(token: unknown, maxSize: number): ParsedToken {
  if (typeof token !== 'string' || token === '') malformed('No token: expected a JWT string "header.payload.signature".')
  if (token.length > maxSize) {
    throw new EmbedTokenError('TOKEN_TOO_LARGE', `The token is ${token.length} bytes; at most ${maxSize} are accepted. Put less in its claims.`)
  }
  if (/^bearer\s/i.test(token)) malformed('The token starts with "Bearer "; pass the JWT alone.')
  const parts = token.split('.')
  if (parts.length === 5) malformed('This is an encrypted token (JWE); sso-embed expects a signed JWT (JWS).')
  if (parts.length !== 3) malformed(`A JWT has 3 parts separated by "."; this token has ${parts.length}.`)
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = decodeJson(decodePart(headerPart, 'header'), 'header')
  if (payloadPart === '') malformed('The payload is empty.')
  assertBase64url(payloadPart, 'payload')
  const signature = decodePart(signaturePart, 'signature')

  if (typeof header['alg'] !== 'string') malformed('The header has no "alg".', 'alg')
  if ('crit' in header) malformed(`The header lists critical extensions (crit: ${JSON.stringify(header['crit'])}), which sso-embed does not support.`, 'crit')
  if ('b64' in header) malformed('The header sets "b64" (unencoded payload, RFC 7797), which sso-embed does not support.', 'b64')
  if ('zip' in header) malformed('The header sets "zip"; compressed payloads are not supported.', 'zip')
  if ('kid' in header && (typeof header['kid'] !== 'string' || header['kid'] === '')) malformed('The header\'s "kid" must be a non-empty string.', 'kid')
  if ('typ' in header && (typeof header['typ'] !== 'string' || header['typ'].toUpperCase() !== 'JWT')) {
    malformed(`The header's "typ" is ${JSON.stringify(header['typ'])}; an embed token is "JWT" (or has no "typ").`, 'typ')
  }
  return { header: header as TokenHeader, payloadPart, signingInput: `${headerPart}.${payloadPart}`, signature }
}
