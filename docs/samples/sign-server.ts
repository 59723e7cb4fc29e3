// Host backend: sign a short-lived embed token for the logged-in user with @sso-embed/server.
import { signEmbedToken } from '@sso-embed/server'

export function embedToken(user: { id: string; firstName: string; lastName: string; teamId: string; teamName: string }): Promise<string> {
  return signEmbedToken(
    {
      version: 'v3',
      externalUserId: user.id,
      externalProjectId: user.teamId,
      projectDisplayName: user.teamName,
      firstName: user.firstName,
      lastName: user.lastName,
      role: 'EDITOR',
    },
    {
      privateKey: process.env.SSO_EMBED_PRIVATE_KEY!, // PEM: PKCS#8, PKCS#1 or SEC1
      kid: process.env.SSO_EMBED_KID!, // the key id the platform shows for your key
      expiresIn: '5m',
      profile: 'activepieces-v3', // checks the claims before signing
    },
  )
}
