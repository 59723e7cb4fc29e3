import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { build, createServer, defaultClientConditions, type InlineConfig, type ViteDevServer } from 'vite'
import { SOURCE_CONDITION } from '../vite.shared'

/** How the demo apps are served: Vite's dev server on source (playground), or a production build (tests, bench). */
export type PagesMode = 'dev' | 'static'

export interface Pages {
  /** Serves `req` if it is one of the app's files or pages; calls `next()` otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void
  /** Sends one of the app's HTML pages (default `index.html`) with `config` injected as `window.__APP_CONFIG__`. */
  /** `nonce`: the page's CSP nonce, put on the inline config script (and `head`'s scripts). */
  sendPage(req: IncomingMessage, res: ServerResponse, config: unknown, page?: string, nonce?: string): Promise<void>
  /** The app's HTML pages (`index.html`, `react.html`, …). */
  readonly pages: readonly string[]
  close(): Promise<void>
}

type App = 'host' | 'platform'
/** Where each app is served: the platform's embedded app lives under /embed/. */
const BASE: Record<App, string> = { host: '/', platform: '/embed/' }

const appRoot = (app: string) => join(import.meta.dirname, app, 'app')
const htmlPages = (app: string) => readdirSync(appRoot(app)).filter((file) => file.endsWith('.html'))
export const buildDir = (app: string) => join(import.meta.dirname, '..', 'node_modules', '.cache', 'sso-embed-pages', app)

function viteConfig(app: App): InlineConfig {
  return {
    configFile: false,
    root: appRoot(app),
    base: BASE[app],
    logLevel: 'warn',
    resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
    build: {
      outDir: buildDir(app),
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: { input: Object.fromEntries(htmlPages(app).map((page) => [page.replace(/\.html$/, ''), join(appRoot(app), page)])) },
    },
  }
}

/** Builds both apps into `node_modules/.cache` for `static` mode. */
export async function buildPages(): Promise<void> {
  await Promise.all((Object.keys(BASE) as App[]).map((app) => build(viteConfig(app))))
}

const types: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
}

function inject(html: string, config: unknown, head = '', nonce?: string): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c')
  const script = nonce ? `<script nonce="${nonce}">` : '<script>'
  return html.replace('<!--app-config-->', `${head.replaceAll('<script>', script)}${script}window.__APP_CONFIG__ = ${json}</script>`)
}

/** `head`: HTML put before the page's own scripts in every page sent (tests: a console collector). */
export async function createPages(app: App, mode: PagesMode, server?: Server, head?: string): Promise<Pages> {
  const base = BASE[app]
  if (mode === 'dev') {
    const vite: ViteDevServer = await createServer({
      ...viteConfig(app),
      appType: 'custom',
      server: { middlewareMode: true, hmr: server ? { server } : false },
    })
    return {
      handle: (req, res, next) => vite.middlewares(req, res, next),
      async sendPage(req, res, config, page = 'index.html', nonce) {
        const html = await readFile(join(appRoot(app), page), 'utf8')
        send(res, 200, types['.html']!, inject(await vite.transformIndexHtml(req.url ?? '/', html), config, head, nonce))
      },
      pages: htmlPages(app),
      close: () => vite.close(),
    }
  }
  const root = buildDir(app)
  const html = new Map(await Promise.all(htmlPages(app).map(async (page) => [page, await readFile(join(root, page), 'utf8')] as const)))
  return {
    handle(req, res, next) {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (!path.startsWith(base) || !extname(path) || path.endsWith('.html')) return next()
      const file = normalize(join(root, path.slice(base.length)))
      if (!file.startsWith(root)) return next()
      readFile(file).then(
        (body) => send(res, 200, types[extname(file)] ?? 'application/octet-stream', body, 'public, max-age=31536000, immutable'),
        () => next(),
      )
    },
    async sendPage(_req, res, config, page = 'index.html', nonce) {
      send(res, 200, types['.html']!, inject(html.get(page)!, config, head, nonce))
    },
    pages: [...html.keys()],
    close: async () => {},
  }
}

export function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, cache = 'no-store'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': cache })
  res.end(body)
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
  res.end(JSON.stringify(body))
}

export async function readJson(req: IncomingMessage, limit = 16 * 1024): Promise<unknown> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new Error('body too large')
    chunks.push(chunk)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}
