import { generateKeyPair as generate, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { isAlgorithm, keyRequirements, ALGORITHMS, type Algorithm } from './algorithms'
import { bindAlgorithm } from './policy'
import { jwkThumbprint } from './thumbprint'

const generateKeyPair = promisify(generate) as (type: string, options: object) => Promise<{ publicKey: KeyObject; privateKey: KeyObject }>

/** A fresh key pair. The platform registers `publicPem` (or `publicJwk`); the host keeps `privatePem` secret. */
export interface GeneratedKey {
  /** Key id (RFC 7638 thumbprint of the public key): put it in every token's `kid` header. */
  kid: string
  alg: Algorithm
  publicJwk: JsonWebKey & { kid: string; alg: Algorithm; use: 'sig' }
  /** SPKI PEM (`BEGIN PUBLIC KEY`) */
  publicPem: string
  /** PKCS#8 PEM (`BEGIN PRIVATE KEY`) */
  privatePem: string
}

/**
 * Generates a signing key pair for `alg` (default RS256): RSA keys of `modulusLength` bits (default
 * 2048; 3072 for RS384/PS384, 4096 for RS512/PS512), EC keys on the algorithm's curve, Ed25519 for EdDSA.
 */
export async function generateSigningKey(options: { alg?: Algorithm; modulusLength?: number } = {}): Promise<GeneratedKey> {
  const alg = options.alg ?? 'RS256'
  if (!isAlgorithm(alg)) throw new TypeError(`generateSigningKey: alg must be one of ${ALGORITHMS.join(', ')} (got ${JSON.stringify(alg)})`)
  const need = keyRequirements[alg]
  const bits = options.modulusLength ?? (alg.endsWith('512') ? 4096 : alg.endsWith('384') ? 3072 : 2048)
  const { publicKey, privateKey } = need.curve
    ? await generateKeyPair('ec', { namedCurve: need.curve.node })
    : need.types.includes('rsa')
      ? await generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 })
      : await generateKeyPair('ed25519', {})
  bindAlgorithm(publicKey, alg) // refuses a modulusLength under 2048
  const jwk = publicKey.export({ format: 'jwk' })
  const kid = jwkThumbprint(jwk)
  return {
    kid,
    alg,
    publicJwk: { ...jwk, kid, alg, use: 'sig' },
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}
