/**
 * `pnpm playground`: the demo platform on http://127.0.0.1:5174 and the demo host on http://localhost:5173
 * — two different sites, so the embed runs as a real third-party iframe.
 *
 * Environment: HOST_PORT (5173), PLATFORM_PORT (5174), HOST_ORIGINS (extra host origins to register,
 * comma-separated), PAGES=static to serve production builds instead of Vite's dev server,
 * PGLITE_DIR (.data/platform) for the platform's users and projects, DATABASE_URL for a PostgreSQL server.
 */
import { openStore } from '@sso-embed/server'
import { startHost } from './host/server'
import { generateHostKey } from './keys'
import { buildPages, type PagesMode } from './pages'
import { startPlatform } from './platform/server'

const hostPort = Number(process.env.HOST_PORT ?? 5173)
const platformPort = Number(process.env.PLATFORM_PORT ?? 5174)
const mode: PagesMode = process.env.PAGES === 'static' ? 'static' : 'dev'
const hostOrigin = `http://localhost:${hostPort}`
const extraOrigins = (process.env.HOST_ORIGINS ?? '').split(',').filter(Boolean)

if (mode === 'static') await Promise.all([buildPages('platform', '/embed/'), buildPages('host', '/')])

// First run: the host generates its key pair and registers the public half with the platform.
const key = await generateHostKey('playground-host')
// Users and projects persist in PGlite (embedded PostgreSQL) under .data/, or on DATABASE_URL's server.
const store = await openStore({ dataDir: process.env.PGLITE_DIR ?? '.data/platform' })
const platform = await startPlatform({
  port: platformPort,
  keys: [{ kid: key.kid, publicPem: key.publicPem, origins: [hostOrigin, ...extraOrigins] }],
  store,
  pages: mode,
})
const host = await startHost({ port: hostPort, key, instanceUrl: platform.instanceUrl, pages: mode })

console.log(`
  sso-embed playground (${mode === 'dev' ? 'Vite dev server, running on source' : 'production build'})

  Host app (customer):   ${host.origin}/
  Platform (embedded):   ${platform.instanceUrl}/

  Platform data: ${store.engine === 'pglite' ? `PGlite in ${process.env.PGLITE_DIR ?? '.data/platform'}` : 'PostgreSQL (DATABASE_URL)'}

  Open the host app. Press Ctrl+C to stop.
`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.all([host.close(), platform.close()]).then(() => process.exit(0))
  })
}
