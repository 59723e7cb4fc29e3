import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { SsoEmbedError } from '@sso-embed/protocol'
import { toSeconds, type Duration } from '../duration'

/** The cookie the exchange sets: `__Host-` (Secure, Path=/, no Domain), partitioned so it works in a third-party frame. */
export const SESSION_COOKIE = '__Host-sso_session'

export interface SessionOptions {
  /** HMAC-SHA256 secret of at least 32 bytes; keep it in the platform's secret store. */
  secret: string | Uint8Array
  /** Session lifetime. Default 8 hours. */
  ttl?: Duration
  /** Clock in milliseconds, for tests. */
  now?: () => number
}

/** A verified platform session. */
export interface Session {
  /** Session id (random). */
  id: string
  /** The session token itself (what the frame sends as a bearer token). */
  token: string
  /** The platform's own user id (not the host's external id). */
  userId: string
  projectId: string | null
  account: string
  issuedAt: Date
  expiresAt: Date
}

export interface Sessions {
  readonly ttlSeconds: number
  /** Signs a session for a provisioned user. */
  issue(subject: { userId: string; projectId: string | null; account: string }): { token: string; expiresAt: Date }
  /** Verifies a session token; throws `SESSION_INVALID` or `SESSION_EXPIRED`. */
  verify(token: string): Session
  /** `Set-Cookie` value for the session: `__Host-sso_session=…; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=…`. */
  cookie(token: string, expiresAt: Date): string
  /** `Set-Cookie` value that removes the session cookie. */
  clearCookie(): string
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
const TYPE = 'sso-embed-session'

const invalid = (message: string) => new SsoEmbedError('SESSION_INVALID', message)

/**
 * Platform sessions: compact HS256 JWTs signed with the platform's own secret (never a host key), typed
 * so a host token can never pass for a session, carried as a bearer token by the frame and in the
 * partitioned `__Host-sso_session` cookie.
 */
export function createSessions(options: SessionOptions): Sessions {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret) : Buffer.from(options.secret ?? [])
  if (secret.length < 32) throw new TypeError('createSessions: secret must be at least 32 bytes (e.g. crypto.randomBytes(32).toString("base64url"))')
  const ttlSeconds = toSeconds(options.ttl ?? '8h', 'ttl')
  const now = options.now ?? Date.now
  const mac = (input: string) => createHmac('sha256', secret).update(input).digest()

  return {
    ttlSeconds,
    issue({ userId, projectId, account }) {
      const iat = Math.floor(now() / 1000)
      const exp = iat + Math.ceil(ttlSeconds)
      const payload = Buffer.from(JSON.stringify({ typ: TYPE, sid: randomUUID(), sub: userId, pid: projectId, acc: account, iat, exp })).toString('base64url')
      const input = `${HEADER}.${payload}`
      return { token: `${input}.${mac(input).toString('base64url')}`, expiresAt: new Date(exp * 1000) }
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > 4096) throw invalid('No session token.')
      const parts = token.split('.')
      if (parts.length !== 3 || parts[0] !== HEADER) throw invalid('Not a session token of this platform.')
      const expected = mac(`${parts[0]}.${parts[1]}`)
      const given = Buffer.from(parts[2]!, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== parts[2]) {
        throw invalid('The session signature does not match; sign in again.')
      }
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>
      if (claims['typ'] !== TYPE || typeof claims['sub'] !== 'string' || typeof claims['exp'] !== 'number') throw invalid('Not a session token of this platform.')
      if (claims['exp'] * 1000 <= now()) throw new SsoEmbedError('SESSION_EXPIRED', 'The session has ended; the embed asks the host for a fresh token.')
      return {
        id: String(claims['sid']),
        token,
        userId: claims['sub'],
        projectId: typeof claims['pid'] === 'string' ? claims['pid'] : null,
        account: typeof claims['acc'] === 'string' ? claims['acc'] : '',
        issuedAt: new Date(Number(claims['iat']) * 1000),
        expiresAt: new Date(claims['exp'] * 1000),
      }
    },
    cookie(token, expiresAt) {
      const maxAge = Math.max(0, Math.ceil((expiresAt.getTime() - now()) / 1000))
      return `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=${maxAge}`
    },
    clearCookie() {
      return `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=0`
    },
  }
}

type HeaderSource = Request | Headers | Readonly<Record<string, string | string[] | undefined>>

function header(source: HeaderSource, name: string): string | undefined {
  const headers = source instanceof Request ? source.headers : source
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const value = headers[name]
  return Array.isArray(value) ? value.join('; ') : value
}

/**
 * The session of a request to the platform's own API: the `Authorization: Bearer` header (what the
 * frame's `fetch` helper sends) or else the `__Host-sso_session` cookie. Accepts a fetch `Request`,
 * `Headers`, or Node's `req.headers`. Throws `SESSION_INVALID` / `SESSION_EXPIRED`.
 */
export function verifySession(request: HeaderSource, sessions: Sessions): Session {
  const authorization = header(request, 'authorization')
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const cookie = header(request, 'cookie')
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1)
  const token = bearer ?? cookie
  if (!token) throw invalid('No session: send the bearer token from the exchange, or the session cookie.')
  return sessions.verify(token)
}
