// Platform: the exchange endpoint the frame calls, on Node's http server.
import { createServer } from 'node:http'
import { createEmbedHandler, createSessions, createVerifier, frameAncestors, openStore, toNodeListener } from '@sso-embed/server'

const store = await openStore({ dataDir: './data' }) // PGlite; DATABASE_URL=postgres://… for a server
const origins = ['https://app.acme.com']
const embed = toNodeListener(
  createEmbedHandler({
    verifier: createVerifier({
      keys: [{ key: process.env.ACME_PUBLIC_KEY!, kid: 'acme-2026', account: 'acme', origins }],
      profile: 'activepieces-v3',
      replay: store.replay, // every token once
    }),
    store,
    sessions: createSessions({ secret: process.env.SESSION_SECRET!, ttl: '8h' }),
    basePath: '/api/embed', // POST /api/embed/exchange, GET /api/embed/session, GET /api/embed/storage-access
  }),
)

createServer((req, res) => {
  if (req.url?.startsWith('/api/embed/')) return embed(req, res)
  // your embedded pages: only the registered hosts may frame them
  res.setHeader('content-security-policy', frameAncestors(origins))
  res.end('…your app…')
}).listen(3000)
