import { EmbedTokenError } from '../errors'
import { isAlgorithm } from '../keys/algorithms'
import type { VerificationKey } from '../keys/public-key'
import type { ClaimProfile } from '../profiles/profile'
import { decodePayloadPart, type ParsedToken } from './parse'

/** The answer anonymous callers get for every token no registered key verifies: it names no kid, algorithm or key. */
export const NO_KEY = {
  code: 'BAD_SIGNATURE',
  message:
    'No key registered on this platform verifies this token. Check its "kid" and "alg" header and that it is signed with the private half of the registered key.',
} as const

/** `describesRegistry`: the message tells what is registered, so anonymous callers get {@link NO_KEY} instead. */
function fail(code: 'ALG_NOT_ALLOWED' | 'UNKNOWN_KEY', message: string, claim: string, describesRegistry = true): never {
  throw new EmbedTokenError(code, message, { claim, ...(describesRegistry && { public: NO_KEY }) })
}

/**
 * The one registered key that may have signed `parsed`, chosen from its header alone (and, for a token
 * without `kid`, from the tenant it names):
 * - with `kid`: the key with that kid (`UNKNOWN_KEY` when none, or when two share it), registered for
 *   the token's `alg` (`ALG_NOT_ALLOWED`);
 * - without `kid` (latenode): the keys of that `alg`; when several, those pinned to the tenant the
 *   token's `profile.tenantClaim` names (the claim is read before the signature is checked, only to
 *   choose; the claims check then holds the key to its pin). Still several, or none: `UNKNOWN_KEY`.
 */
export function selectKey(keys: readonly VerificationKey[], parsed: ParsedToken, profile: ClaimProfile): VerificationKey {
  const { alg, kid } = parsed.header
  if (!isAlgorithm(alg)) fail('ALG_NOT_ALLOWED', `The token is signed with ${JSON.stringify(alg)}, which sso-embed does not accept.`, 'alg', false)
  if (!keys.some((key) => key.alg === alg)) {
    const allowed = [...new Set(keys.map((key) => key.alg))].join(', ') || 'none (no key is registered)'
    fail('ALG_NOT_ALLOWED', `The token is signed with ${JSON.stringify(alg)}; the registered keys accept ${allowed}.`, 'alg')
  }
  if (kid !== undefined) {
    const named = keys.filter((candidate) => candidate.kid === kid)
    if (named.length === 0)
      fail('UNKNOWN_KEY', `No registered key has kid ${JSON.stringify(kid)}. Use the key id shown when the key was registered, or register the key.`, 'kid')
    if (named.length > 1)
      fail(
        'UNKNOWN_KEY',
        `${named.length} registered keys share kid ${JSON.stringify(kid)} (accounts ${named.map((k) => JSON.stringify(k.account)).join(', ')}); give every key its own kid.`,
        'kid',
      )
    const key = named[0]!
    if (key.alg !== alg) fail('ALG_NOT_ALLOWED', `Key ${JSON.stringify(kid)} is registered for ${key.alg}; the token says ${JSON.stringify(alg)}.`, 'alg')
    return key
  }
  let candidates = keys.filter((candidate) => candidate.alg === alg)
  if (candidates.length > 1 && profile.tenantClaim) {
    const named = decodePayloadPart(parsed.payloadPart)[profile.tenantClaim]
    const tenant = typeof named === 'number' || typeof named === 'string' ? String(named) : undefined
    candidates = candidates.filter((candidate) => candidate.tenant !== undefined && candidate.tenant === tenant)
  }
  if (candidates.length !== 1) {
    const why = profile.tenantClaim
      ? `${candidates.length} registered ${alg} keys are pinned to the tenant its "${profile.tenantClaim}" names`
      : `${keys.filter((k) => k.alg === alg).length} registered ${alg} keys could apply`
    fail(
      'UNKNOWN_KEY',
      `The token has no "kid" and ${why}; register one key per tenant (pinned with { tenant }), or put the key id in the header's "kid".`,
      'kid',
    )
  }
  return candidates[0]!
}
