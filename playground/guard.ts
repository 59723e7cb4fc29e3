import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './pages'

/**
 * The checks that keep the playground's local APIs (the platform's admin API, the demo host's token
 * routes) to its own pages while it runs on a developer's machine:
 * - `Host` must be one of the server's own names: a DNS-rebinding page reaches 127.0.0.1 under its own
 *   host name, and is refused;
 * - `Origin`, when sent, must be one of the server's own origins, and a request with a body must send
 *   one: a page of another site is refused, `no-cors` or not;
 * - a body must be `application/json`: a cross-site form or a `text/plain` `no-cors` POST (no preflight)
 *   is refused before it is parsed;
 * - the admin API also needs this run's admin secret as a bearer token (compared in constant time).
 * Refusals answer `{ error: { code, message } }` with one of the codes below.
 */
export type GuardCode =
  /** 403: `Host` is not one of the server's own names (DNS rebinding). */
  | 'HOST_NOT_ALLOWED'
  /** 403: `Origin` is another origin's, or missing on a request with a body. */
  | 'CROSS_ORIGIN_REFUSED'
  /** 401: the admin secret is missing or wrong. */
  | 'ADMIN_UNAUTHORIZED'
  /** 415: a body that is not `Content-Type: application/json`. */
  | 'CONTENT_TYPE_NOT_JSON'

export interface Refusal {
  status: 401 | 403 | 415
  code: GuardCode
  message: string
}

/** The `Host` values and page origins a server answers to. */
export interface OwnNames {
  hosts: ReadonlySet<string>
  origins: ReadonlySet<string>
}

/** The names of a server reachable at each of `origins` (e.g. `http://127.0.0.1:5174`, `http://localhost:5174`). */
export function ownNames(origins: string[]): OwnNames {
  const urls = origins.map((origin) => new URL(origin))
  return { hosts: new Set(urls.map((url) => url.host)), origins: new Set(urls.map((url) => url.origin)) }
}

/** The same server under `localhost` and `127.0.0.1` (the playground listens on one, links to either). */
export function loopbackOrigins(origin: string): string[] {
  const url = new URL(origin)
  return ['localhost', '127.0.0.1'].map((hostname) => `${url.protocol}//${hostname}:${url.port}`)
}

const hasBody = (req: IncomingMessage) =>
  !['GET', 'HEAD'].includes(req.method ?? 'GET') || Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined

const sha256 = (value: string) => createHash('sha256').update(value).digest()

/** A fresh admin secret: 256 random bits, URL-safe (it rides in a link's fragment). */
export const newAdminSecret = () => randomBytes(32).toString('base64url')

/**
 * What is wrong with `req`, in the order above (`secret`: the admin API's), or undefined when it may
 * be served.
 */
export function checkRequest(req: IncomingMessage, own: OwnNames, secret?: string): Refusal | undefined {
  const host = req.headers.host?.toLowerCase()
  if (!host || !own.hosts.has(host))
    return { status: 403, code: 'HOST_NOT_ALLOWED', message: `This server does not answer to the host name ${JSON.stringify(host ?? '')}` }
  const origin = req.headers.origin
  if (origin !== undefined && !own.origins.has(origin))
    return { status: 403, code: 'CROSS_ORIGIN_REFUSED', message: `Requests from ${origin} are refused: only this server's own pages may call it` }
  if (origin === undefined && hasBody(req))
    return { status: 403, code: 'CROSS_ORIGIN_REFUSED', message: "A request with a body must send the Origin header of this server's page" }
  if (secret !== undefined) {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    // hashed first: equal lengths for timingSafeEqual, and nothing learnt from the secret's length
    if (!bearer)
      return {
        status: 401,
        code: 'ADMIN_UNAUTHORIZED',
        message: "The admin API needs this run's admin secret (open the admin link printed by `pnpm playground`)",
      }
    if (!timingSafeEqual(sha256(bearer), sha256(secret)))
      return { status: 401, code: 'ADMIN_UNAUTHORIZED', message: 'Wrong admin secret: the playground makes a new one each run (open the link it printed)' }
  }
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase()
  if (hasBody(req) && type !== 'application/json')
    return { status: 415, code: 'CONTENT_TYPE_NOT_JSON', message: `Send the body as Content-Type: application/json (got ${type ?? 'none'})` }
  return undefined
}

/** Answers a refusal as `{ error: { code, message } }`. */
export function refuse(res: ServerResponse, refusal: Refusal): void {
  sendJson(res, refusal.status, { error: { code: refusal.code, message: refusal.message } })
}
