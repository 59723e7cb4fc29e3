/**
 * `pnpm playground`: the demo platform on http://127.0.0.1:5174 and the demo host on http://localhost:5173
 * — two different sites, so the embed runs as a real third-party iframe.
 *
 * Environment: HOST_PORT (5173), PLATFORM_PORT (5174), HOST_ORIGINS (more host origins to register,
 * comma-separated), DATA_DIR (.data: keys, flows and the PGlite database), PGLITE_DIR
 * (DATA_DIR/platform-db), DATABASE_URL (a PostgreSQL server instead of PGlite), PAGES=static to serve
 * production builds instead of Vite's dev server.
 */
import { join } from 'node:path'
import { openStore } from '@sso-embed/server'
import { startHost } from './host/server'
import { buildPages, type PagesMode } from './pages'
import { startPlatform } from './platform/server'

const hostPort = Number(process.env.HOST_PORT ?? 5173)
const platformPort = Number(process.env.PLATFORM_PORT ?? 5174)
const mode: PagesMode = process.env.PAGES === 'static' ? 'static' : 'dev'
const extraOrigins = (process.env.HOST_ORIGINS ?? '')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean)
const dataDir = process.env.DATA_DIR ?? '.data'
const pgliteDir = process.env.PGLITE_DIR ?? join(dataDir, 'platform-db')

if (mode === 'static') await buildPages()

// Users and projects persist in PGlite (embedded PostgreSQL), or on DATABASE_URL's server.
const store = await openStore({ dataDir: pgliteDir, logger: console })
const platform = await startPlatform({ port: platformPort, store, dataDir, pages: mode, storageAccessHeaders: true })
// First run: the host asks the platform's admin API for a signing key (as a customer does on the admin
// page; with this run's admin secret) and keeps the private key; later runs reuse it.
const host = await startHost({
  port: hostPort,
  instanceUrl: platform.instanceUrl,
  platformAdminSecret: platform.adminSecret,
  dataDir,
  extraOrigins,
  pages: mode,
})

console.log(`
  sso-embed playground (${mode === 'dev' ? 'Vite dev server, running on source' : 'production build'})

  Host app (customer):   ${host.origin}/            core · /react.html · /vue.html · /element.html · /static.html
  Token workbench:       ${host.origin}/workbench.html
  Platform (embedded):   ${platform.instanceUrl}/
  Platform admin:        ${platform.adminUrl}
                         (this run's admin secret is in the link: the admin API answers no one without it)

  Host key:              ${host.key.kid} (registered for ${[host.origin, ...extraOrigins].join(', ')})
  Data:                  ${store.engine === 'pglite' ? `PGlite in ${pgliteDir}` : 'PostgreSQL (DATABASE_URL)'}, keys and flows in ${dataDir}

  Open the host app. Press Ctrl+C to stop.
`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.all([host.close(), platform.close()]).then(() => process.exit(0))
  })
}
