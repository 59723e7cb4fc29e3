import type { Claims } from '../profiles/claims'
import { textProblem } from '../profiles/claims'
import { formatSeconds } from '../duration'
import { EmbedTokenError, type TokenErrorCode } from '../errors'

/** The rules of the registered claims (RFC 7519 §4.1), as `createVerifier` resolved its options. */
export interface RegisteredClaimRules {
  /** seconds */
  maxLifetime: number
  /** seconds */
  tolerance: number
  requireJti: boolean
  audiences: readonly string[] | undefined
  issuers: readonly string[] | undefined
}

function fail(code: TokenErrorCode, message: string, claim?: string): never {
  throw new EmbedTokenError(code, message, { claim })
}

/**
 * Checks `exp`, `nbf`, `iat`, the lifetime, `iss`, `aud` and `jti` against `time` (seconds); returns
 * `exp` and the `jti` (when there is one).
 */
export function checkRegisteredClaims(claims: Claims, time: number, rules: RegisteredClaimRules): { exp: number; jti: string | undefined } {
  const { tolerance, maxLifetime, issuers, audiences } = rules
  const numeric = (name: string) => {
    const value = claims[name]
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isFinite(value))
      fail('CLAIM_INVALID', `Claim "${name}" must be a NumericDate: seconds since 1970 as a number (got ${JSON.stringify(value)}).`, name)
    return value as number
  }
  const exp = numeric('exp')
  if (exp === undefined) fail('CLAIM_MISSING', 'Claim "exp" is missing; every embed token must expire (a few minutes after it is signed).', 'exp')
  if (exp <= time - tolerance)
    fail('TOKEN_EXPIRED', `The token expired ${formatSeconds(time - exp)} ago. Sign a fresh token for every embed (and check the signer's clock).`, 'exp')
  const nbf = numeric('nbf')
  if (nbf !== undefined && nbf > time + tolerance)
    fail('TOKEN_NOT_YET_VALID', `The token is not valid for another ${formatSeconds(nbf - time)} ("nbf"). Check the signer's clock.`, 'nbf')
  const iat = numeric('iat')
  if (iat !== undefined && iat > time + tolerance)
    fail('TOKEN_NOT_YET_VALID', `The token was issued ${formatSeconds(iat - time)} in the future ("iat"). Check the signer's clock.`, 'iat')
  const lifetime = iat === undefined ? exp - time - tolerance : exp - iat
  if (lifetime > maxLifetime) {
    const from = iat === undefined ? 'from now' : 'after "iat"'
    fail(
      'LIFETIME_TOO_LONG',
      `The token expires ${formatSeconds(Math.ceil(lifetime))} ${from}; at most ${formatSeconds(maxLifetime)} is accepted. Sign short-lived tokens (a few minutes).`,
      'exp',
    )
  }
  if (issuers) {
    const iss = claims['iss']
    if (iss === undefined) fail('CLAIM_MISSING', `Claim "iss" is missing; this platform expects ${issuers.join(' or ')}.`, 'iss')
    if (!issuers.includes(iss as string)) fail('CLAIM_INVALID', `Claim "iss" is ${JSON.stringify(iss)}; this platform expects ${issuers.join(' or ')}.`, 'iss')
  }
  if (audiences) {
    const aud = claims['aud']
    if (aud === undefined) fail('CLAIM_MISSING', `Claim "aud" is missing; this platform expects ${audiences.join(' or ')}.`, 'aud')
    const given = Array.isArray(aud) ? aud : [aud]
    if (!given.some((value) => audiences.includes(value)))
      fail('CLAIM_INVALID', `Claim "aud" is ${JSON.stringify(aud)}; this platform expects ${audiences.join(' or ')}.`, 'aud')
  }
  const jti = claims['jti']
  if (jti === undefined && rules.requireJti)
    fail('CLAIM_MISSING', 'Claim "jti" is missing; this platform requires a unique id in every token (e.g. a random UUID).', 'jti')
  if (jti !== undefined && (typeof jti !== 'string' || textProblem(jti, 256))) {
    fail('CLAIM_INVALID', 'Claim "jti" must be a non-empty string of at most 256 characters, without control characters (e.g. a random UUID).', 'jti')
  }
  return { exp, jti: jti as string | undefined }
}
