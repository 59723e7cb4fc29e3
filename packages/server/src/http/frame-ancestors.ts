import type { VerificationKey } from '../keys/public-key'
import { checkOrigin } from '../keys/public-key'

/** The `Content-Security-Policy` value that lets exactly these host origins frame the platform's pages. */
export function frameAncestors(origins: readonly string[]): string {
  return `frame-ancestors 'self'${origins.map((origin) => ` ${checkOrigin(origin)}`).join('')}`
}

/**
 * The host origins registered for one account's keys, each once: what the embed page of that account
 * answers with (`frameAncestors(originsForAccount(keys, account))` and the frame's `allowedHostOrigins`),
 * so a platform with many hosts never hands one host's frame every other host's origins.
 */
export function originsForAccount(keys: readonly VerificationKey[], account: string): string[] {
  return [...new Set(keys.filter((key) => key.account === account).flatMap((key) => key.origins))]
}
