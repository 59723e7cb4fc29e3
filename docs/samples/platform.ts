// Platform: the exchange endpoint the frame calls, on Node's http server.
import { createServer } from 'node:http'
import {
  createEmbedHandler,
  createSessions,
  createVerifier,
  frameAncestors,
  importPublicKey,
  openStore,
  originsForAccount,
  requestedStoragePolicy,
  storageAccessHeaders,
  toNodeListener,
} from '@sso-embed/server'

const store = await openStore({ dataDir: './data' }) // PGlite; DATABASE_URL=postgres://… for a server
// every key belongs to one account (customer); a latenode key would also pin its tenant: { tenant: '1042' }
const keys = [importPublicKey(process.env.ACME_PUBLIC_KEY!, { kid: 'acme-2026', account: 'acme', origins: ['https://app.acme.com'] })]
const embed = toNodeListener(
  createEmbedHandler({
    verifier: createVerifier({ keys: () => keys, profile: 'activepieces-v3', replay: store.replay }), // every token once
    store,
    sessions: createSessions({ secret: process.env.SESSION_SECRET!, ttl: '8h', store, keys: () => keys }),
    basePath: '/api/embed', // POST …/exchange, GET …/session, POST …/logout, GET …/storage-access
    onRejected: (error, { endpoint }) => console.warn(endpoint, error.code, error.message), // the detail callers are not told
  }),
  { origin: 'https://platform.example' }, // URLs are built on it, never on the Host header
)

createServer((req, res) => {
  if (req.url?.startsWith('/api/embed/')) return embed(req, res)
  // your embedded pages, at /embed/?account=<account>: only that account's hosts may frame them
  const account = new URL(req.url ?? '/', 'https://platform.example').searchParams.get('account') ?? ''
  res.setHeader('content-security-policy', frameAncestors(originsForAccount(keys, account)))
  // where the host asked for storage: 'require', a returning user's storage-access grant starts active:
  // no interstitial, no click (docs/third-party-cookies.md); if your connectToHost() sets `storage`
  // itself, pass it as requestedStoragePolicy's second argument
  const policy = requestedStoragePolicy(req.url ?? '/')
  for (const [name, value] of Object.entries(storageAccessHeaders(req.headers, policy))) res.setHeader(name, value)
  res.end('…your app…')
}).listen(3000)
