// Host backend without sso-embed: the `jsonwebtoken` package signs the same token.
import jwt from 'jsonwebtoken'

export function embedToken(privateKeyPem: string, kid: string): string {
  return jwt.sign(
    {
      version: 'v3',
      externalUserId: 'user_id',
      externalProjectId: 'user_project_id',
      firstName: 'John',
      lastName: 'Doe',
      role: 'EDITOR',
      piecesFilterType: 'NONE',
    },
    privateKeyPem,
    { algorithm: 'RS256', keyid: kid, expiresIn: '5m', jwtid: crypto.randomUUID() },
  )
}
