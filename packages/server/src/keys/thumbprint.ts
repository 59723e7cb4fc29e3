import { createHash } from 'node:crypto'

/** The members RFC 7638 hashes for each key type, in lexicographic order. */
const members: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a public JWK: the default `kid` of a key. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const required = members[jwk.kty ?? ''] ?? []
  const canonical = `{${required.map((name) => `"${name}":${JSON.stringify(jwk[name as keyof JsonWebKey])}`).join(',')}}`
  return createHash('sha256').update(canonical).digest('base64url')
}
