import { ALGORITHMS, isAlgorithm } from '../keys/algorithms'
import type { Claims } from '../profiles/claims'
import { formatSeconds } from '../duration'
import { decodePayloadPart, parseToken, type TokenHeader } from './parse'
import { DEFAULT_EXPIRES_IN } from './sign'
import { DEFAULT_MAX_TOKEN_SIZE } from './verify'

/** What `inspectToken` reads from a token, without verifying it. */
export interface TokenInspection {
  header: TokenHeader
  claims: Claims
  /** `iat`, `nbf` and `exp` as ISO 8601 dates. */
  times: { iat?: string; nbf?: string; exp?: string }
  /** What looks risky: a long lifetime, no `kid`, no `jti`, no `exp`, an algorithm sso-embed refuses, … */
  warnings: string[]
}

/**
 * Decodes a token without checking its signature and says what looks risky (the CLI's `token inspect`,
 * the playground's token workbench). Throws `TOKEN_MALFORMED` for what is not a JWT at all.
 */
export function inspectToken(token: string, now = Date.now()): TokenInspection {
  const { header, payloadPart } = parseToken(token, Number.MAX_SAFE_INTEGER)
  const claims = decodePayloadPart(payloadPart)
  const seconds = Math.floor(now / 1000)
  const numeric = (name: string) => (typeof claims[name] === 'number' ? (claims[name] as number) : undefined)
  const [iat, nbf, exp] = [numeric('iat'), numeric('nbf'), numeric('exp')]
  const warnings: string[] = []
  if (!isAlgorithm(header.alg)) warnings.push(`alg ${JSON.stringify(header.alg)} is not accepted by sso-embed (use ${ALGORITHMS.join(', ')})`)
  if (header.kid === undefined) warnings.push('no "kid" in the header: the platform can only match it when a single key applies')
  if (exp === undefined) warnings.push('no "exp": every embed token must expire, and the platform will refuse it')
  else if (exp <= seconds) warnings.push(`expired ${formatSeconds(seconds - exp)} ago`)
  const lifetime = exp === undefined ? undefined : exp - (iat ?? seconds)
  if (lifetime !== undefined && lifetime > DEFAULT_EXPIRES_IN)
    warnings.push(`lifetime ${formatSeconds(lifetime)} is over 5 minutes: a token that leaks stays usable that long; sign one per embed instead`)
  if (claims['jti'] === undefined) warnings.push('no "jti": the platform cannot tell a replayed token from a fresh one')
  for (const name of ['jku', 'x5u', 'x5c', 'jwk'])
    if (name in header) warnings.push(`header "${name}" is ignored: keys are only taken from the platform's registry`)
  if (token.length > DEFAULT_MAX_TOKEN_SIZE) warnings.push(`${token.length} bytes is over the default ${DEFAULT_MAX_TOKEN_SIZE / 1024} KiB limit`)
  const times: TokenInspection['times'] = {}
  for (const [name, value] of [
    ['iat', iat],
    ['nbf', nbf],
    ['exp', exp],
  ] as const)
    if (value !== undefined) times[name] = new Date(value * 1000).toISOString()
  return { header, claims, times, warnings }
}
