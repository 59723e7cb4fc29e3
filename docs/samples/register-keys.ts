// Platform: register hosts' public keys, each bound to one algorithm, its host account and origins.
import { importPublicKey, importPublicKeys } from '@sso-embed/server'

export const acme = importPublicKey(process.env.ACME_PUBLIC_PEM!, { kid: 'acme-2026', alg: 'RS256', account: 'acme', origins: ['https://app.acme.com'] })
export const globex = importPublicKeys(process.env.GLOBEX_JWKS!, { account: 'globex', origins: ['https://globex.example'] }) // a JWK Set: each key keeps its kid and alg
