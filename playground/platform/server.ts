import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { errors, jwtVerify, decodeProtectedHeader, SignJWT, type CryptoKey } from 'jose'
import { createPages, readJson, send, sendJson, type PagesMode } from '../pages'

/**
 * The test platform: a small stand-in for a SaaS platform that embeds with sso-embed. It serves the
 * embedded app under `/embed/` and verifies host JWTs (RS256, with jose) at `POST /api/exchange`.
 */
export interface PlatformOptions {
  port?: number
  /** Signing keys registered by hosts, by `kid`, each with the host origins allowed to use it. */
  keys: Map<string, { publicKey: CryptoKey; origins: string[] }>
  /** Lifetime of the platform session the exchange hands out. Default 8 h. */
  sessionTtlMs?: number
  pages?: PagesMode
}

export interface Platform {
  origin: string
  /** `origin + '/embed'`: the `instanceUrl` hosts use. */
  instanceUrl: string
  /** Every request URL the server received (path and query), in order. */
  requests: string[]
  /** Number of successful exchanges. */
  exchanges: number
  sessionTtlMs: number
  /** Fault knobs for tests: the next `expireNext` exchanges answer `TOKEN_EXPIRED`. */
  faults: { expireNext: number }
  close(): Promise<void>
}

interface Session {
  user: { id: string; name: string }
  project: { id: string; name: string }
}

const sessionSecret = crypto.getRandomValues(new Uint8Array(32))

class ExchangeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 401,
  ) {
    super(message)
  }
}

function tokenError(error: unknown): ExchangeError {
  if (error instanceof ExchangeError) return error
  if (error instanceof errors.JWTExpired) return new ExchangeError('TOKEN_EXPIRED', 'The token has expired')
  if (error instanceof errors.JWSSignatureVerificationFailed) return new ExchangeError('BAD_SIGNATURE', 'The signature does not match the registered key')
  if (error instanceof errors.JOSEAlgNotAllowed) return new ExchangeError('ALG_NOT_ALLOWED', 'Only RS256 is accepted')
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'nbf'
      ? new ExchangeError('TOKEN_NOT_YET_VALID', 'The token is not valid yet')
      : new ExchangeError(error.reason === 'missing' ? 'CLAIM_MISSING' : 'CLAIM_INVALID', error.message)
  }
  return new ExchangeError('TOKEN_MALFORMED', `The token could not be read: ${(error as Error).message}`)
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const server = createServer()
  const pages = await createPages('platform', '/embed/', options.pages ?? 'static', server)
  const platform: Platform = {
    origin: '',
    instanceUrl: '',
    requests: [],
    exchanges: 0,
    sessionTtlMs: options.sessionTtlMs ?? 8 * 3600_000,
    faults: { expireNext: 0 },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await pages.close()
    },
  }
  const allowedHostOrigins = () => [...new Set([...options.keys.values()].flatMap((key) => key.origins))]

  async function exchange(req: IncomingMessage, res: ServerResponse) {
    const body = (await readJson(req).catch(() => null)) as { token?: unknown; hostOrigin?: unknown } | null
    if (typeof body?.token !== 'string' || typeof body.hostOrigin !== 'string') {
      throw new ExchangeError('TOKEN_MALFORMED', 'Send JSON { token, hostOrigin }', 400)
    }
    if (platform.faults.expireNext > 0) {
      platform.faults.expireNext--
      throw new ExchangeError('TOKEN_EXPIRED', 'The token has expired (fault injected by the test platform)')
    }
    let kid: string | undefined
    try {
      kid = decodeProtectedHeader(body.token).kid
    } catch (error) {
      throw tokenError(error)
    }
    const key = kid === undefined ? undefined : options.keys.get(kid)
    if (!key) throw new ExchangeError('UNKNOWN_KEY', `No registered key has kid "${kid}"`)
    const { payload } = await jwtVerify(body.token, key.publicKey, { algorithms: ['RS256'], requiredClaims: ['exp'] }).catch((error) => {
      throw tokenError(error)
    })
    if (!key.origins.includes(body.hostOrigin)) {
      throw new ExchangeError('ORIGIN_NOT_ALLOWED', `${body.hostOrigin} is not registered for key ${kid}`, 403)
    }
    const claims = payload as Record<string, unknown>
    if (typeof claims.externalUserId !== 'string') throw new ExchangeError('CLAIM_MISSING', 'externalUserId is required')
    const session: Session = {
      user: { id: claims.externalUserId, name: [claims.firstName, claims.lastName].filter(Boolean).join(' ') || claims.externalUserId },
      project: { id: String(claims.externalProjectId ?? 'default'), name: String(claims.projectDisplayName ?? claims.externalProjectId ?? 'Default project') },
    }
    const expiresAt = Date.now() + platform.sessionTtlMs
    const sessionToken = await new SignJWT({ ...session })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(sessionSecret)
    platform.exchanges++
    sendJson(res, 200, { ...session, expiresAt, sessionToken }, {
      'set-cookie': `__Host-sso_session=${sessionToken}; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=${Math.ceil(platform.sessionTtlMs / 1000)}`,
    })
  }

  async function me(req: IncomingMessage, res: ServerResponse) {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const cookie = /(?:^|;\s*)__Host-sso_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    const token = bearer ?? cookie
    if (!token) return sendJson(res, 401, { error: { code: 'TOKEN_UNAVAILABLE', message: 'No session' } })
    try {
      const { payload } = await jwtVerify(token, sessionSecret, { algorithms: ['HS256'] })
      sendJson(res, 200, { user: payload.user, project: payload.project, via: bearer ? 'bearer' : 'cookie' })
    } catch {
      sendJson(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'Session expired' } })
    }
  }

  server.on('request', (req, res) => {
    platform.requests.push(req.url ?? '')
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const fail = (error: unknown) => {
      const e = tokenError(error)
      sendJson(res, e.status, { error: { code: e.code, message: e.message } })
    }
    if (req.method === 'POST' && path === '/api/exchange') return void exchange(req, res).catch(fail)
    if (req.method === 'GET' && path === '/api/me') return void me(req, res).catch(fail)
    if (path === '/bare') {
      // a platform page that never loads the frame SDK
      return send(res, 200, 'text/html; charset=utf-8', '<!doctype html><title>Bare platform page</title><p>No SDK here.</p>')
    }
    pages.handle(req, res, () => {
      if (path === '/embed' || path.startsWith('/embed/')) {
        return void pages.sendPage(req, res, { allowedHostOrigins: allowedHostOrigins() }).catch(fail)
      }
      send(res, 404, 'text/plain', 'Not found')
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  platform.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  platform.instanceUrl = `${platform.origin}/embed`
  return platform
}
