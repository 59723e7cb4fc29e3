// A second platform process for the revocation tests: the same handler as test/platform.ts, on the
// PostgreSQL database DATABASE_URL, with the keys in KEYS (JSON: [{ publicPem, kid, account, origin }]),
// served on a free port that it prints as its first line. Run with tsx.
import { createServer } from 'node:http'
import { createEmbedHandler } from '../src/http/handler'
import { createSessions } from '../src/http/sessions'
import { toNodeListener } from '../src/http/node'
import { importPublicKey } from '../src/keys/public-key'
import { openStore } from '../src/store/open'
import { createVerifier } from '../src/token/verify'
import { anyProfile, PLATFORM, SECRET } from './platform'

const keys = (JSON.parse(process.env['KEYS']!) as Array<{ publicPem: string; kid: string; account: string; origin: string }>).map((k) =>
  importPublicKey(k.publicPem, { kid: k.kid, account: k.account, origins: [k.origin] }),
)
const store = await openStore({ databaseUrl: process.env['DATABASE_URL']!, maxConnections: 2 })
const sessions = createSessions({ secret: SECRET, store, keys: () => keys })
const handler = createEmbedHandler({
  verifier: createVerifier({ keys: () => keys, profile: anyProfile, replay: store.replay }),
  store,
  sessions,
  basePath: '/api/embed',
})
const server = createServer(toNodeListener(handler, { origin: PLATFORM }))
server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port))
process.on('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))))
