import { exportJWK, generateKeyPair, type CryptoKey } from 'jose'

/** An RS256 signing key of a host (customer): the host keeps `privateKey`, the platform registers `publicKey`. */
export interface HostKey {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
}

export async function generateHostKey(kid = `host-${Date.now().toString(36)}`): Promise<HostKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return { kid, privateKey, publicKey }
}

export const publicJwk = (key: HostKey) => exportJWK(key.publicKey)
