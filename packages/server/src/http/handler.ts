import { SsoEmbedError, type ErrorCode } from '@sso-embed/protocol'
import { verifySession } from './sessions'
import { EmbedTokenError } from '../errors'
import { provision, type ProvisionResult } from '../profiles/provision'
import { checkOrigin } from '../keys/public-key'
import type { Sessions } from './sessions'
import type { EmbedStore } from '../store/types'
import type { VerifiedToken, Verifier } from '../token/verify'

export interface EmbedHandlerOptions {
  /** Verifies the host's token (give it `replay: store.replay` for single-use tokens). */
  verifier: Verifier
  store: EmbedStore
  sessions: Sessions
  /**
   * Host origins allowed to call the endpoint cross-origin (CORS). The frame calls it from the
   * platform's own origin, so this is only for hosts that exchange tokens themselves. Default: none.
   */
  origins?: readonly string[] | (() => readonly string[] | Promise<readonly string[]>)
  /** Path prefix of the endpoint. Default `/api/embed` (so `POST /api/embed/exchange`). */
  basePath?: string
  /** Largest request body accepted, in bytes. Default 16 KiB. */
  maxBodyBytes?: number
  /** Called after each successful exchange (for audit logs). */
  onExchange?: (result: ProvisionResult, context: { hostOrigin: string }) => void
  /** Called with unexpected failures (a database down); the response is a 500 with `EXCHANGE_FAILED`. */
  onError?: (error: unknown) => void
}

/** The JSON body of a successful exchange (what `@sso-embed/frame` expects). */
export interface ExchangeResponse {
  user: { id: string; externalId: string; name?: string; email?: string }
  project: { id: string; externalId: string; name: string } | null
  /** End of the session, ISO 8601. */
  expiresAt: string
  sessionToken: string
  created: { user: boolean; project: boolean }
}

/**
 * The popup of the `storage: 'require'` flow: a page on the platform's own site where the user clicks
 * once (Safari grants storage access only to sites the user interacted with first-party), then closes.
 */
const STORAGE_ACCESS_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Allow embedded use</title>
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,sans-serif;color:#0f172a}
main{max-width:24rem;padding:24px}button{font:inherit;padding:8px 18px;border:0;border-radius:8px;background:#2563eb;color:#fff;cursor:pointer}</style>
<main><h1>Allow this site in embedded apps</h1><p>Click below, then go back to the page you came from and choose “Try again”.</p>
<button type="button" id="allow">Allow and close</button></main>
<script>document.getElementById('allow').onclick=function(){document.cookie='sso_embed_visited=1; Path=/; Secure; SameSite=Lax; Max-Age=31536000';window.close()}</script></html>`

const STATUS: Partial<Record<ErrorCode, number>> = { ORIGIN_NOT_ALLOWED: 403, REQUEST_INVALID: 400, SESSION_INVALID: 401, SESSION_EXPIRED: 401 }

class RequestError extends SsoEmbedError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('REQUEST_INVALID', message)
  }
}

/** The `Content-Security-Policy` value that lets exactly these host origins frame the platform's pages. */
export function frameAncestors(origins: readonly string[]): string {
  return `frame-ancestors 'self'${origins.map((origin) => ` ${checkOrigin(origin)}`).join('')}`
}

async function readBody(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > max) throw new RequestError(400, `The body is ${declared} bytes; at most ${max} are accepted.`)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw new RequestError(400, `The body is over ${max} bytes.`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function parseExchange(request: Request, max: number): Promise<{ token: string; hostOrigin: string }> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new RequestError(400, `Send JSON: Content-Type must be application/json (got ${JSON.stringify(type || 'none')}).`)
  const text = await readBody(request, max)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new RequestError(400, 'The body is not valid JSON.')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError(400, 'The body must be a JSON object { token, hostOrigin }.')
  const { token, hostOrigin } = body as Record<string, unknown>
  if (typeof token !== 'string' || token === '') throw new RequestError(400, 'The body has no "token" (the host\'s JWT).')
  if (typeof hostOrigin !== 'string' || hostOrigin === '') throw new RequestError(400, 'The body has no "hostOrigin" (the embedding page\'s origin).')
  return { token, hostOrigin }
}

/**
 * The platform's embed endpoints as a fetch-style handler. `GET {basePath}/session` answers the session
 * of the session cookie (a reloaded frame resumes with it); `GET {basePath}/storage-access` is the popup
 * page of the `storage: 'require'` flow. `POST {basePath}/exchange` with JSON
 * `{ token, hostOrigin }` verifies the host's token (and that `hostOrigin` is registered for its key),
 * provisions the user, and answers `{ user, project, expiresAt, sessionToken }` with the partitioned
 * session cookie. Every response is `Cache-Control: no-store`; errors are `{ error: { code, message, claim? } }`
 * (400 bad request, 401 token refused, 403 origin not allowed, 500 unexpected), and a refused request
 * writes nothing. Use `toNodeListener` for Node's `http` server.
 */
export function createEmbedHandler(options: EmbedHandlerOptions): (request: Request) => Promise<Response> {
  const { verifier, store, sessions } = options
  if (!verifier || !store || !sessions) throw new TypeError('createEmbedHandler: verifier, store and sessions are required')
  const base = (options.basePath ?? '/api/embed').replace(/\/+$/, '')
  const max = options.maxBodyBytes ?? 16 * 1024
  const allowed = async () => (typeof options.origins === 'function' ? await options.origins() : (options.origins ?? []))

  // onError is the application's: if it throws too, the answer is still sent (and the throw logged)
  const report = (error: unknown) => {
    try {
      options.onError?.(error)
    } catch (thrown) {
      console.error('sso-embed: onError threw', thrown)
    }
  }

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } })
  // JSON leaves an undefined claim out
  const failure = (status: number, { code, message, claim }: { code: string; message: string; claim?: string | undefined }, headers?: Record<string, string>) =>
    json(status, { error: { code, message, claim } }, headers)

  const describe = (user: { id: string; externalId: string; firstName: string | null; lastName: string | null; email: string | null }) => {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
    return { id: user.id, externalId: user.externalId, ...(name && { name }), ...(user.email && { email: user.email }) }
  }

  /** `GET {basePath}/session`: the session of the cookie (or bearer), so a reloaded frame stays signed in. */
  async function resume(request: Request): Promise<Response> {
    try {
      const session = verifySession(request, sessions)
      const user = await store.user(session.userId)
      if (!user) return failure(401, { code: 'SESSION_INVALID', message: 'The session\'s user no longer exists.' })
      const project = session.projectId === null ? undefined : await store.project(session.projectId)
      return json(200, {
        user: describe(user),
        project: project ? { id: project.id, externalId: project.externalId, name: project.name } : null,
        expiresAt: session.expiresAt.toISOString(),
        sessionToken: session.token,
      })
    } catch (error) {
      if (error instanceof SsoEmbedError && STATUS[error.code]) return failure(STATUS[error.code]!, error)
      report(error)
      return failure(500, { code: 'EXCHANGE_FAILED', message: 'The platform could not read the session; try again.' })
    }
  }

  return async (request) => {
    const url = new URL(request.url)
    if (request.method === 'GET' && url.pathname === `${base}/storage-access`) {
      return new Response(STORAGE_ACCESS_PAGE, {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "frame-ancestors 'none'" },
      })
    }
    if (request.method === 'GET' && url.pathname === `${base}/session`) return resume(request)
    if (url.pathname !== `${base}/exchange`) return failure(404, { code: 'REQUEST_INVALID', message: `No such endpoint: ${url.pathname}` })
    const origin = request.headers.get('origin')
    const cors: Record<string, string> =
      origin && (await allowed()).includes(origin)
        ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' }
        : { vary: 'Origin' }
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'cache-control': 'no-store' },
      })
    }
    if (request.method !== 'POST') return failure(405, { code: 'REQUEST_INVALID', message: 'Use POST.' }, { ...cors, allow: 'POST, OPTIONS' })
    // gives the token's jti back after a failure, as long as provisioning has not committed
    let release: VerifiedToken['release']
    try {
      const { token, hostOrigin } = await parseExchange(request, max)
      const verified = await verifier.verify(token, { origin: hostOrigin })
      const { identity } = verified
      release = verified.release
      const result = await provision(identity, store)
      release = undefined // committed: from here on the token is spent, whatever happens
      const { user, project } = result
      const session = sessions.issue({ userId: user.id, projectId: project?.id ?? null, account: identity.account })
      try {
        options.onExchange?.(result, { hostOrigin })
      } catch (error) {
        report(error) // the login is committed: a failing audit hook must not undo the answer
      }
      const body: ExchangeResponse = {
        user: describe(user),
        project: project && { id: project.id, externalId: project.externalId, name: project.name },
        expiresAt: session.expiresAt.toISOString(),
        sessionToken: session.token,
        created: result.created,
      }
      return json(200, body, { ...cors, 'set-cookie': sessions.cookie(session.token, session.expiresAt) })
    } catch (error) {
      if (error instanceof RequestError) return failure(error.status, error, cors)
      if (error instanceof EmbedTokenError) return failure(STATUS[error.code] ?? 401, error, cors)
      report(error)
      // provisioning (one transaction) did not commit: the token's jti is not spent, a retry may use it
      await release?.().catch(report)
      return failure(500, { code: 'EXCHANGE_FAILED', message: 'The platform could not complete the sign-in; try again.' }, cors)
    }
  }
}
