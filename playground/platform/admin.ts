import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmbedStore, Verifier } from '@sso-embed/server'
import { checkRequest, refuse, type OwnNames } from '../guard'
import { readJson, sendJson, type Pages } from '../pages'
import type { KeyRegistry } from './registry'

/**
 * The demo platform's admin: the page `/embed/admin` and its API `/admin/api/*` (signing keys, host
 * origins, users, the token check). A real platform puts its own admin login in front; the playground
 * runs on a developer's machine, so its API answers only its own page (`Host`, `Origin`, JSON bodies:
 * see `../guard`) holding this run's admin secret, which the start banner prints in the admin link's
 * fragment (`/embed/admin#secret=…`). The page may not be framed.
 */
export interface AdminOptions {
  keys: KeyRegistry
  store: EmbedStore
  /** What the exchange would say about a token, without its replay store (a check must not use a token up). */
  checker: Verifier
  /** This run's admin secret. */
  secret: string
  /** The platform's own host names and origins. */
  own: OwnNames
}

/** Where the admin API is, and the secret it needs: what a client of it (the demo host, tests) holds. */
export interface AdminAccess {
  origin: string
  secret: string
}

/** The headers the admin API asks of a client outside the admin page: the secret, and the platform's origin as a page of it sends. */
export const adminHeaders = ({ origin, secret }: AdminAccess) => ({ authorization: `Bearer ${secret}`, origin })

/** Calls the admin API from Node: GET without `body`, else a JSON POST. */
export function adminFetch(access: AdminAccess, path: string, body?: unknown): Promise<Response> {
  const headers = adminHeaders(access)
  return fetch(
    `${access.origin}${path}`,
    body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  )
}

export function createAdmin({ keys, store, checker, secret, own }: AdminOptions) {
  async function route(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === 'GET' && path === '/admin/api/keys') return sendJson(res, 200, { keys: keys.list() })
    if (req.method === 'POST' && path === '/admin/api/keys') {
      const body = (await readJson(req)) as { name?: string; publicPem?: string; kid?: string; account?: unknown; tenant?: string; origins?: string[] }
      const origins = body.origins ?? []
      if (typeof body.account !== 'string' || !body.account)
        throw new TypeError('Every key belongs to an account: send "account" (the host customer it is for).')
      const input = { account: body.account, origins, name: body.name, tenant: body.tenant }
      if (!body.publicPem) {
        const { record, privatePem } = await keys.generate(input)
        return sendJson(res, 201, { key: record, privatePem })
      }
      return sendJson(res, 201, { key: keys.register({ ...input, publicPem: body.publicPem, kid: body.kid }) })
    }
    const match = /^\/admin\/api\/keys\/([^/]+)\/(revoke|origins)$/.exec(path)
    if (req.method === 'POST' && match) {
      const kid = decodeURIComponent(match[1]!)
      if (match[2] === 'revoke') return sendJson(res, 200, { key: await keys.revoke(kid) })
      const { origins } = (await readJson(req)) as { origins?: string[] }
      return sendJson(res, 200, { key: keys.setOrigins(kid, origins ?? []) })
    }
    const user = /^\/admin\/api\/users\/([^/]+)\/(deactivate|reactivate|end-sessions)$/.exec(path)
    if (req.method === 'POST' && user) {
      const id = decodeURIComponent(user[1]!)
      if (user[2] === 'deactivate') return sendJson(res, 200, { done: await store.deactivateUser(id) })
      if (user[2] === 'reactivate') return sendJson(res, 200, { done: await store.reactivateUser(id) })
      return sendJson(res, 200, { ended: await store.sessions.revokeUser(id) })
    }
    if (req.method === 'GET' && path === '/admin/api/directory') {
      const [users, projects, memberships] = await Promise.all([store.users(), store.projects(), store.memberships()])
      return sendJson(res, 200, { users, projects, memberships })
    }
    if (req.method === 'POST' && path === '/admin/api/verify') {
      // what the exchange would say about a token, without provisioning or using up its jti
      const { token, origin } = (await readJson(req)) as { token?: string; origin?: string }
      try {
        const { identity, claims, header } = await checker.verify(String(token ?? ''), origin ? { origin } : {})
        return sendJson(res, 200, { identity, claims, header })
      } catch (error) {
        const e = error as { code: string; message: string; claim?: string }
        return sendJson(res, 200, { error: { code: e.code, message: e.message, ...(e.claim && { claim: e.claim }) } })
      }
    }
    sendJson(res, 404, { error: { code: 'REQUEST_INVALID', message: `No such admin endpoint: ${path}` } })
  }

  return {
    /** `/admin/api/*`: refused unless the request passes the guard with this run's secret. */
    async api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      const refusal = checkRequest(req, own, secret)
      if (refusal) return refuse(res, refusal)
      try {
        await route(req, res, path)
      } catch (error) {
        sendJson(res, 400, { error: { code: (error as { code?: string }).code ?? 'REQUEST_INVALID', message: (error as Error).message } })
      }
    },
    /** `/embed/admin`: the page (its script reads the secret from the fragment), on the platform's own host names only, never framed. */
    async page(req: IncomingMessage, res: ServerResponse, pages: Pages): Promise<void> {
      const refusal = checkRequest(req, own)
      if (refusal) return refuse(res, refusal)
      res.setHeader('content-security-policy', "frame-ancestors 'none'")
      res.setHeader('x-frame-options', 'DENY')
      await pages.sendPage(req, res, {}, 'admin.html')
    },
  }
}
