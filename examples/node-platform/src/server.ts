// A platform on node:http: the embed page (?account=acme) and the exchange endpoint on PGlite.
// Environment: PORT, PLATFORM_ORIGIN (e.g. http://127.0.0.1:3001), HOST_ORIGINS (the host pages' origins, comma-separated),
// HOST_PUBLIC_KEY (PEM of the host's signing key), HOST_KID, DATA_DIR (PGlite's folder).
import { readFileSync } from 'node:fs'
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

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}
const platformOrigin = env('PLATFORM_ORIGIN')
const hostOrigins = env('HOST_ORIGINS').split(',')

const store = await openStore({ dataDir: env('DATA_DIR') })
const keys = [importPublicKey(env('HOST_PUBLIC_KEY'), { kid: env('HOST_KID'), account: 'acme', origins: hostOrigins })]
const embed = toNodeListener(
  createEmbedHandler({
    verifier: createVerifier({ keys: () => keys, profile: 'activepieces-v3', replay: store.replay }),
    store,
    sessions: createSessions({ secret: 'example-secret-of-at-least-32-characters!', ttl: '1h', store, keys: () => keys }),
    basePath: '/api/embed',
    onRejected: (error, { endpoint }) => console.warn(endpoint, error.code, error.message),
  }),
  { origin: platformOrigin },
)
const frameScript = readFileSync(new URL('./frame.js', import.meta.url))

createServer((req, res) => {
  const url = new URL(req.url ?? '/', platformOrigin)
  if (url.pathname.startsWith('/api/embed/')) return embed(req, res)
  if (url.pathname === '/embed/frame.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' })
    return res.end(frameScript)
  }
  if (url.pathname === '/embed/') {
    const account = url.searchParams.get('account') ?? ''
    // only that account's hosts may frame it; where the host asked for storage: 'require', a returning
    // user's storage-access grant is activated on load
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': frameAncestors(originsForAccount(keys, account)),
      ...storageAccessHeaders(req.headers, requestedStoragePolicy(url)),
    })
    return res.end(
      `<!doctype html><body data-host-origins="${hostOrigins.join(',')}"><p id="status">connecting</p><script type="module" src="/embed/frame.js"></script></body>`,
    )
  }
  res.writeHead(404).end()
}).listen(Number(env('PORT')), () => console.log(`platform on ${platformOrigin}`))
