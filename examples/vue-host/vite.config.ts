// The host backend lives in Vite's dev and preview servers here: /api/token signs a token for the
// logged-in user with the host's key. Environment: VITE_PLATFORM_URL (the platform's embed page, read
// by the page at build time), HOST_PRIVATE_KEY (PEM), HOST_KID.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { signEmbedToken } from '@sso-embed/server'
import { defineConfig, type Plugin } from 'vite'

async function token(req: IncomingMessage, res: ServerResponse, next: () => void) {
  if (req.url !== '/api/token') return next()
  // your session decides who this is; the example has one user
  const jwt = await signEmbedToken(
    { version: 'v3', externalUserId: 'ada', externalProjectId: 'team-1', firstName: 'Ada', lastName: 'Lovelace', role: 'EDITOR' },
    { privateKey: process.env['HOST_PRIVATE_KEY']!, kid: process.env['HOST_KID']!, alg: 'RS256', expiresIn: '5m' },
  )
  res.setHeader('content-type', 'text/plain')
  res.end(jwt)
}

const hostBackend: Plugin = {
  name: 'host-backend',
  configureServer: (server) => void server.middlewares.use(token),
  configurePreviewServer: (server) => void server.middlewares.use(token),
}

export default defineConfig({ plugins: [hostBackend] })
