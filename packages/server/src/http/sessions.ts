import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { HOST_ORIGIN_HEADER, SsoEmbedError } from '@sso-embed/protocol'
import { toSeconds, type Duration } from '../duration'
import type { VerificationKey } from '../keys/public-key'
import type { EmbedStore, StoreTransaction } from '../store/types'

/** The cookie the exchange sets: `__Host-` (Secure, Path=/, no Domain), partitioned so it works in a third-party frame. */
export const SESSION_COOKIE = '__Host-sso_session'

export interface SessionOptions {
  /** HMAC-SHA256 secret of at least 32 bytes; keep it in the platform's secret store. */
  secret: string | Uint8Array
  /**
   * Where sessions live: the same store the exchange provisions into. Every check reads the session's
   * row, so a logout, a revocation or a deactivation is seen by the next request on every process
   * sharing the store (no cache).
   */
  store: EmbedStore
  /**
   * The registered keys (the verifier's): when given, a session whose key is no longer among them (the
   * key was revoked) ends at once, even before `store.sessions.revokeKey()` is called.
   */
  keys?: () => readonly VerificationKey[] | Promise<readonly VerificationKey[]>
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
  /** The account of the key that opened the session. */
  account: string
  /** The key that opened the session. */
  kid: string
  /** The host origin the session is bound to. */
  hostOrigin: string
  issuedAt: Date
  expiresAt: Date
}

export interface Sessions {
  readonly ttlSeconds: number
  /** The store the sessions live in. */
  readonly store: EmbedStore
  /** A new session's id, token and expiry, not stored yet: write its row with the sign-in (`open`, or a store's one-statement `signIn`). */
  mint(): { id: string; token: string; expiresAt: Date }
  /** Opens a session for a provisioned user, inside the sign-in's transaction (bound to its account). */
  open(
    tx: StoreTransaction,
    subject: { userId: string; projectId: string | null; kid: string; hostOrigin: string },
  ): Promise<{ id: string; token: string; expiresAt: Date }>
  /**
   * Verifies a session token against its row in the store: signed by this platform, not expired, not
   * revoked, its user not deactivated, its key still registered (with `keys`) and — when `hostOrigin` is
   * given — bound to that host origin. Throws `SESSION_INVALID` or `SESSION_EXPIRED`.
   */
  verify(token: string, context?: { hostOrigin?: string | undefined }): Promise<Session>
  /** Ends the session of `token` (logout); false when it was not live. Idempotent. */
  end(token: string): Promise<boolean>
  /** `Set-Cookie` value for the session: `__Host-sso_session=…; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=…`. */
  cookie(token: string, expiresAt: Date): string
  /** `Set-Cookie` value that removes the session cookie (`Max-Age=0`). */
  clearCookie(): string
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
const TYPE = 'sso-embed-session'

/** Why a session was refused. `origin`: it is live but bound to another host page. */
export type SessionRefusal = 'missing' | 'forged' | 'ended' | 'deactivated' | 'expired' | 'origin' | 'key'

/** A refused session: `SESSION_INVALID` (or `SESSION_EXPIRED`), with the `reason`. */
export class SessionError extends SsoEmbedError {
  override name = 'SessionError'
  constructor(
    readonly reason: SessionRefusal,
    message: string,
  ) {
    super(reason === 'expired' ? 'SESSION_EXPIRED' : 'SESSION_INVALID', message)
  }
}

const invalid = (message: string, reason: SessionRefusal = 'forged') => new SessionError(reason, message)
const expired = () => new SessionError('expired', 'The session has ended; the embed asks the host for a fresh token.')

/**
 * Platform sessions: a row in the store per session (bound to account, key, host origin and user), and
 * a compact HS256 token naming it, signed with the platform's own secret (never a host key) so forged
 * tokens are refused before any database read. The frame carries the token as a bearer token and in the
 * partitioned `__Host-sso_session` cookie.
 */
export function createSessions(options: SessionOptions): Sessions {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret) : Buffer.from(options.secret ?? [])
  if (secret.length < 32) throw new TypeError('createSessions: secret must be at least 32 bytes (e.g. crypto.randomBytes(32).toString("base64url"))')
  const { store, keys } = options
  if (!store || typeof store.sessions?.find !== 'function')
    throw new TypeError('createSessions: store is required (the EmbedStore the exchange provisions into)')
  const ttlSeconds = toSeconds(options.ttl ?? '8h', 'ttl')
  const now = options.now ?? Date.now
  const mac = (input: string) => createHmac('sha256', secret).update(input).digest()

  /** The session id and expiry of a token this platform signed; SESSION_INVALID for anything else. */
  const read = (token: unknown): { sid: string; exp: number } => {
    if (typeof token !== 'string' || token === '' || token.length > 1024) throw invalid('No session token.', 'missing')
    const parts = token.split('.')
    if (parts.length !== 3 || parts[0] !== HEADER) throw invalid('Not a session token of this platform.')
    const expected = mac(`${parts[0]}.${parts[1]}`)
    const given = Buffer.from(parts[2]!, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== parts[2]) {
      throw invalid('The session signature does not match; sign in again.')
    }
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>
    if (claims['typ'] !== TYPE || typeof claims['sid'] !== 'string' || typeof claims['exp'] !== 'number') throw invalid('Not a session token of this platform.')
    return { sid: claims['sid'], exp: claims['exp'] }
  }

  return {
    ttlSeconds,
    store,
    mint() {
      const iat = Math.floor(now() / 1000)
      const exp = iat + Math.ceil(ttlSeconds)
      const id = randomUUID()
      const input = `${HEADER}.${Buffer.from(JSON.stringify({ typ: TYPE, sid: id, iat, exp })).toString('base64url')}`
      return { id, token: `${input}.${mac(input).toString('base64url')}`, expiresAt: new Date(exp * 1000) }
    },
    async open(tx, { userId, projectId, kid, hostOrigin }) {
      const minted = this.mint()
      await tx.createSession({ id: minted.id, kid, hostOrigin, userId, projectId, expiresAt: minted.expiresAt })
      return minted
    },
    async verify(token, context = {}) {
      const { sid, exp } = read(token)
      if (exp * 1000 <= now()) throw expired()
      const row = await store.sessions.find(sid)
      if (!row) throw invalid('The session does not exist (it ended, or was never opened here); sign in again.', 'ended')
      if (row.revokedAt) throw invalid('The session was ended (logout or revocation); sign in again.', 'ended')
      if (row.userDeactivated) throw invalid("The session's user has been deactivated.", 'deactivated')
      if (row.expiresAt.getTime() <= now()) throw expired()
      const { hostOrigin } = context
      if (hostOrigin !== undefined && hostOrigin !== row.hostOrigin) throw invalid('The session belongs to another host page; sign in again there.', 'origin')
      if (keys && !(await keys()).some((key) => key.kid === row.kid && key.account === row.account)) {
        throw invalid('The key that opened this session is no longer registered; sign in again.', 'key')
      }
      return {
        id: row.id,
        token,
        userId: row.userId,
        projectId: row.projectId,
        account: row.account,
        kid: row.kid,
        hostOrigin: row.hostOrigin,
        issuedAt: row.createdAt,
        expiresAt: row.expiresAt,
      }
    },
    async end(token) {
      let sid: string
      try {
        sid = read(token).sid
      } catch {
        return false // nothing of ours to end
      }
      return store.sessions.revoke(sid)
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

/** The session token of a request: the `Authorization: Bearer` header, else the `__Host-sso_session` cookie. */
export function sessionToken(request: HeaderSource): string | undefined {
  const bearer = header(request, 'authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const cookie = header(request, 'cookie')
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1)
  return bearer ?? (cookie || undefined)
}

/** The `sso-embed-host-origin` header of a request (what the frame sends with its session), if any. */
export function hostOriginHeader(request: HeaderSource): string | undefined {
  return header(request, HOST_ORIGIN_HEADER)
}

/**
 * The session of a request to the platform's own API: the `Authorization: Bearer` header (what the
 * frame's `fetch` helper sends) or else the `__Host-sso_session` cookie, checked against the store on
 * every call (revoked, expired, deactivated: refused at once). Accepts a fetch `Request`, `Headers`, or
 * Node's `req.headers`. Throws `SESSION_INVALID` / `SESSION_EXPIRED`.
 *
 * Host binding: when the request carries the `sso-embed-host-origin` header (the frame's `fetch` helper
 * always sends it), the session must be bound to that origin. A request without the header is accepted
 * unless `requireHostOrigin` is true: the header is stated by the caller, so the binding stops an honest
 * frame under another host page, not a party that stole the token (it can send any header) — revocation
 * and short sessions do that.
 */
export async function verifySession(request: HeaderSource, sessions: Sessions, options: { requireHostOrigin?: boolean } = {}): Promise<Session> {
  const token = sessionToken(request)
  if (!token) throw invalid('No session: send the bearer token from the exchange, or the session cookie.', 'missing')
  const hostOrigin = hostOriginHeader(request)
  if (hostOrigin === undefined && options.requireHostOrigin)
    throw invalid(`No ${HOST_ORIGIN_HEADER} header: the session cannot be checked against its host page.`, 'origin')
  return sessions.verify(token, { hostOrigin })
}
