import { type JsonWebKey as NodeJsonWebKey, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto'
import type { Algorithm } from './algorithms'
import { KeyRejectedError } from '../errors'
import { bindAlgorithm } from './policy'
import { jwkThumbprint } from './thumbprint'

/** A private key ready to sign embed tokens, bound to one algorithm. */
export interface SigningKey {
  readonly alg: Algorithm
  /** The key id the matching public key is registered under by default (its RFC 7638 thumbprint). */
  readonly kid: string
  readonly key: KeyObject
}

/** PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 (`BEGIN RSA PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`) PEM, a private JWK, or a `KeyObject`. */
export type PrivateKeyInput = string | JsonWebKey | KeyObject

const PRIVATE_PEM = /^-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+-----END \1?PRIVATE KEY-----$/

/**
 * Imports a private signing key. Throws `KeyRejectedError` (`KEY_REJECTED`) for a public key, an
 * unreadable one, a weak one, or one that does not fit `alg`.
 */
export function importPrivateKey(input: PrivateKeyInput, options: { alg?: Algorithm; passphrase?: string } = {}): SigningKey {
  let key: KeyObject
  if (input instanceof KeyObject) {
    key = input
  } else if (typeof input === 'string') {
    const text = input.trim()
    if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) throw new KeyRejectedError('This is a public key; signing needs the private key (BEGIN PRIVATE KEY).')
    if (!PRIVATE_PEM.test(text)) {
      throw new KeyRejectedError(
        'Not a PEM private key: expected "BEGIN PRIVATE KEY" (PKCS#8), "BEGIN RSA PRIVATE KEY" (PKCS#1) or "BEGIN EC PRIVATE KEY" (SEC1).',
      )
    }
    try {
      key = createPrivateKey(options.passphrase === undefined ? text : { key: text, passphrase: options.passphrase })
    } catch (error) {
      const encrypted = /ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(text)
      throw new KeyRejectedError(
        encrypted && options.passphrase === undefined
          ? 'This private key is encrypted; give its passphrase.'
          : `The PEM private key could not be read: ${(error as Error).message}`,
        { cause: error },
      )
    }
  } else if (typeof input === 'object' && input !== null && typeof input.d === 'string') {
    try {
      key = createPrivateKey({ key: input as NodeJsonWebKey, format: 'jwk' })
    } catch (error) {
      throw new KeyRejectedError(`The private JWK could not be read: ${(error as Error).message}`, { cause: error })
    }
  } else {
    throw new KeyRejectedError('Expected a PEM private key, a private JWK (with "d") or a KeyObject.')
  }
  if (key.type !== 'private') throw new KeyRejectedError('This is not a private key; signing needs the private half of the key pair.')
  const alg = bindAlgorithm(key, options.alg ?? (typeof input === 'object' && !(input instanceof KeyObject) ? input.alg : undefined))
  return { alg, key, kid: jwkThumbprint(createPublicKey(key).export({ format: 'jwk' })) }
}
