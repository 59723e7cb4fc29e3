import { ENDPOINTS, HOST_ORIGIN_HEADER, SsoEmbedError, type ErrorBody, type ErrorCode, type ExchangeRequest, type ExchangeResponse } from '@sso-embed/protocol'
import { EmbedTokenError } from '../errors'
import { provisionIn, provisionStep, signInPlan, signInResult, UserDeactivatedError, type ProvisionResult } from '../profiles/provision'
import type { EmbedStore, StoredProject, StoredUser } from '../store/types'
import { replayedError, type VerifiedToken, type Verifier } from '../token/verify'
import { hostOriginHeader, SessionError, sessionToken, type Session, type Sessions } from './sessions'
import { STORAGE_ACCESS_PAGE } from './storage-access-page'
import { STORAGE_ACCESS_STATUS_HEADER, storageAccessRetry } from './storage-access'

export type { ExchangeResponse } from '@sso-embed/protocol'

export interface EmbedHandlerOptions {
  /** Verifies the host's token (give it `replay: store.replay` for single-use tokens). */
  verifier: Verifier
  store: EmbedStore
  /** The platform sessions (`createSessions({ store })`, on the same store). */
  sessions: Sessions
  /**
   * Host origins allowed to call the exchange endpoint cross-origin (CORS). The frame calls it from the
   * platform's own origin, so this is only for hosts that exchange tokens themselves. Default: none.
   */
  origins?: readonly string[] | (() => readonly string[] | Promise<readonly string[]>)
  /**
   * A cross-origin exchange from one of `origins` that says `Sec-Fetch-Storage-Access: inactive` (the
   * user granted the platform storage access under that host, not active for this request) is answered
   * at once, before its token is read, with `Activate-Storage-Access: retry; allowed-origin="<its
   * Origin>"`: the browser sends it again with storage access active — the user's first-party platform
   * cookies included. Default false: the exchange needs no cookie of the platform's (its session is
   * partitioned and bearer), so turn it on only where your exchange route really uses the user's own
   * platform login, and trust the hosts in `origins` with it (the host page reads the answer). Origins
   * not in `origins` (and the frame's own same-origin calls) never get it.
   */
  activateStorageAccess?: boolean
  /** Path prefix of the endpoints. Default `/api/embed` (so `POST /api/embed/exchange`). */
  basePath?: string
  /** Largest request body accepted, in bytes. Default 16 KiB. */
  maxBodyBytes?: number
  /** Called after each successful exchange (for audit logs). */
  onExchange?: (result: ProvisionResult, context: { hostOrigin: string; session: { id: string; expiresAt: Date } }) => void
  /**
   * Called with every refused token or session, with the full detail the anonymous caller is not told
   * (which origins are registered, which kid was unknown, the pinned tenant): for the platform's logs.
   */
  onRejected?: (error: SsoEmbedError, context: { endpoint: string; hostOrigin?: string | undefined }) => void
  /** Called with unexpected failures (a database down); the response is a 500 with `EXCHANGE_FAILED`. */
  onError?: (error: unknown) => void
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  REQUEST_INVALID: 400,
  ORIGIN_NOT_ALLOWED: 403,
  USER_DEACTIVATED: 403,
  SESSION_INVALID: 401,
  SESSION_EXPIRED: 401,
}

/** A request the endpoints do not accept (not JSON, no token, too large, …): 400 `REQUEST_INVALID` unless said otherwise. */
export class RequestError extends SsoEmbedError {
  override name = 'RequestError'
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('REQUEST_INVALID', message, options)
  }
}

async function readBody(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > max) throw new RequestError(400, `The body is ${declared} bytes; at most ${max} are accepted.`)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>
    try {
      chunk = await reader.read()
    } catch (cause) {
      throw new RequestError(400, 'The request body ended before it was complete (the client went away).', { cause })
    }
    if (chunk.done) break
    size += chunk.value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw new RequestError(400, `The body is over ${max} bytes.`)
    }
    chunks.push(chunk.value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function parseExchange(request: Request, max: number): Promise<ExchangeRequest> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw new RequestError(400, `Send JSON: Content-Type must be application/json (got ${JSON.stringify(type.slice(0, 100) || 'none')}).`)
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

const describeUser = (user: StoredUser) => {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
  return { id: user.id, externalId: user.externalId, ...(name && { name }), ...(user.email && { email: user.email }) }
}
const describeProject = (project: StoredProject | null | undefined) => (project ? { id: project.id, externalId: project.externalId, name: project.name } : null)

/**
 * The platform's embed endpoints as a fetch-style handler (`basePath` default `/api/embed`):
 * - `POST …/exchange` with JSON `{ token, hostOrigin }`: verifies the host's token (and that `hostOrigin`
 *   is registered for its key), provisions the user and opens a session bound to the key's account, the
 *   key and `hostOrigin` — one transaction — and answers `{ user, project, account, expiresAt,
 *   sessionToken, created }` with the partitioned session cookie;
 * - `GET …/session` with the session (cookie or `Authorization: Bearer`) and the `sso-embed-host-origin`
 *   header: the same answer (without `created`) when the session is live and bound to that origin;
 * - `POST …/logout` with the session and the same header: ends it and clears the cookie (204; idempotent);
 * - `GET …/storage-access`: the popup page of the `storage: 'require'` flow.
 *
 * A cross-origin exchange from one of `origins` with `Sec-Fetch-Storage-Access: inactive` is first
 * answered `Activate-Storage-Access: retry` (see `activateStorageAccess`); the embed page itself is the
 * platform's, which adds {@link storageAccessHeaders} to it.
 *
 * Every response is `Cache-Control: no-store`; errors are `{ error: { code, message, claim? } }` (400
 * bad request, 401 token or session refused, 403 origin not allowed or user deactivated, 404/405, 500
 * unexpected). Refusals tell an anonymous caller the code and a message that names nothing registered;
 * the detail goes to `onRejected`. A refused request writes nothing. Use `toNodeListener` for Node's `http`.
 */
export function createEmbedHandler(options: EmbedHandlerOptions): (request: Request) => Promise<Response> {
  const { verifier, store, sessions } = options
  if (!verifier || !store || !sessions) throw new TypeError('createEmbedHandler: verifier, store and sessions are required')
  const base = (options.basePath ?? '/api/embed').replace(/\/+$/, '')
  const path = (name: string) => `${base}/${name}`
  const max = options.maxBodyBytes ?? 16 * 1024
  const allowed = async () => (typeof options.origins === 'function' ? await options.origins() : (options.origins ?? []))

  // the application's hooks: if one throws, the answer is still sent (and the throw logged)
  const call = <A extends unknown[]>(hook: ((...args: A) => void) | undefined, ...args: A) => {
    try {
      hook?.(...args)
    } catch (thrown) {
      console.error('sso-embed: a handler hook threw', thrown)
    }
  }
  const report = (error: unknown) => call(options.onError, error)

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } })
  const failure = (
    status: number,
    { code, message, claim }: { code: ErrorCode; message: string; claim?: string | undefined },
    headers?: Record<string, string>,
  ) => json(status, { error: { code, message, ...(claim !== undefined && { claim }) } } satisfies ErrorBody, headers)

  /** A refusal as the anonymous caller sees it, its detail to onRejected; anything else is a 500. */
  const refusal = async (error: unknown, endpoint: string, hostOrigin: string | undefined, headers?: Record<string, string>) => {
    if (error instanceof RequestError) return failure(error.status, error, headers)
    if (error instanceof EmbedTokenError) {
      call(options.onRejected, error, { endpoint, hostOrigin })
      return failure(STATUS[error.code] ?? 401, error.publicJSON(), headers)
    }
    if (error instanceof SsoEmbedError && STATUS[error.code]) {
      call(options.onRejected, error, { endpoint, hostOrigin })
      return failure(STATUS[error.code]!, error, headers)
    }
    report(error)
    return undefined
  }

  /** The session of a request to `…/session` or `…/logout`: bearer or cookie, and the host-origin header (required). */
  const requestSession = async (request: Request): Promise<Session> => {
    const token = sessionToken(request)
    if (!token) throw new SessionError('missing', 'No session: send the bearer token from the exchange, or the session cookie.')
    const hostOrigin = hostOriginHeader(request)
    if (!hostOrigin) throw new SessionError('origin', `No ${HOST_ORIGIN_HEADER} header: send the host page's origin with the session.`)
    return sessions.verify(token, { hostOrigin })
  }

  async function resume(request: Request): Promise<Response> {
    try {
      const session = await requestSession(request)
      const [user, project] = await Promise.all([store.user(session.userId), session.projectId === null ? undefined : store.project(session.projectId)])
      if (!user) throw new SessionError('ended', "The session's user no longer exists.")
      const body: ExchangeResponse = {
        user: describeUser(user),
        project: describeProject(project),
        account: session.account,
        expiresAt: session.expiresAt.toISOString(),
        sessionToken: session.token,
      }
      return json(200, body)
    } catch (error) {
      return (
        (await refusal(error, ENDPOINTS.session, hostOriginHeader(request))) ??
        failure(500, { code: 'EXCHANGE_FAILED', message: 'The platform could not read the session; try again.' })
      )
    }
  }

  async function logout(request: Request): Promise<Response> {
    const clear = { 'set-cookie': sessions.clearCookie() }
    try {
      const hostOrigin = hostOriginHeader(request)
      if (!hostOrigin) throw new RequestError(400, `Send the ${HOST_ORIGIN_HEADER} header with a logout.`)
      const token = sessionToken(request)
      if (token) {
        try {
          await sessions.verify(token, { hostOrigin })
        } catch (error) {
          // one bound to another host page is not this caller's to end; any other refused session (ended,
          // expired, its user deactivated, its key unregistered for now) is ended for good below
          if (!(error instanceof SessionError) || error.reason === 'origin') throw error
        }
        await sessions.end(token)
      }
      return new Response(null, { status: 204, headers: { 'cache-control': 'no-store', ...clear } })
    } catch (error) {
      return (
        (await refusal(error, ENDPOINTS.logout, hostOriginHeader(request))) ??
        failure(500, { code: 'EXCHANGE_FAILED', message: 'The platform could not end the session; try again.' })
      )
    }
  }

  /**
   * The sign-in's writes: in one statement when the store can (`signIn`: the profile has no provisioning
   * step of its own and the token's use goes to this store), else the token's use, then one transaction.
   * Sets `state.release` while a failure would leave the token's use recorded but nothing else.
   */
  async function signIn(verified: VerifiedToken, hostOrigin: string, state: { release?: (() => Promise<void>) | undefined }) {
    const { identity, key, replay } = verified
    const bind = { kid: key.kid, hostOrigin }
    if (store.signIn && !provisionStep(identity, verified.profile) && (!replay || replay.store === store.replay)) {
      const session = sessions.mint()
      const outcome = await store.signIn(signInPlan(identity, { id: session.id, expiresAt: session.expiresAt, ...bind }, replay?.entry))
      if (outcome.status === 'replayed') throw replayedError(replay!.entry.jti)
      if (outcome.status === 'deactivated') throw new UserDeactivatedError()
      return { result: signInResult(identity, outcome), session }
    }
    if (replay) {
      if (!(await replay.store.use(replay.entry))) throw replayedError(replay.entry.jti)
      state.release = async () => replay.store.release?.(replay.entry)
    }
    return store.transaction(identity.account, async (tx) => {
      const result = await provisionIn(tx, identity, verified.profile)
      const session = await sessions.open(tx, { userId: result.user.id, projectId: result.project?.id ?? null, ...bind })
      return { result, session }
    })
  }

  async function exchange(request: Request, cors: Record<string, string>): Promise<Response> {
    // gives the token's jti back after a failure, as long as the sign-in has not committed
    const state: { release?: (() => Promise<void>) | undefined } = {}
    let hostOrigin: string | undefined
    try {
      const body = await parseExchange(request, max)
      hostOrigin = body.hostOrigin
      const verified = await verifier.verify(body.token, { origin: body.hostOrigin, deferReplay: true })
      // a verifier of your own may record the jti itself: it offers release()
      state.release = verified.replay ? undefined : verified.release
      const { result, session } = await signIn(verified, body.hostOrigin, state)
      state.release = undefined // committed: from here on the token is spent, whatever happens
      call(options.onExchange, result, { hostOrigin: body.hostOrigin, session }) // a failing audit hook must not undo the answer
      const answer: ExchangeResponse = {
        user: describeUser(result.user),
        project: describeProject(result.project),
        account: verified.identity.account,
        expiresAt: session.expiresAt.toISOString(),
        sessionToken: session.token,
        created: result.created,
      }
      return json(200, answer, { ...cors, 'set-cookie': sessions.cookie(session.token, session.expiresAt) })
    } catch (error) {
      const refused = await refusal(error, ENDPOINTS.exchange, hostOrigin, cors)
      if (refused) return refused
      // the sign-in did not commit: the token's jti is not spent, a retry may use it
      await state.release?.().catch(report)
      return failure(500, { code: 'EXCHANGE_FAILED', message: 'The platform could not complete the sign-in; try again.' }, cors)
    }
  }

  return async (request) => {
    const { pathname } = new URL(request.url)
    const { method } = request
    if (pathname === path(ENDPOINTS.storageAccess) && method === 'GET') {
      return new Response(STORAGE_ACCESS_PAGE, {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "frame-ancestors 'none'" },
      })
    }
    if (pathname === path(ENDPOINTS.session) && method === 'GET') return resume(request)
    if (pathname === path(ENDPOINTS.logout) && method === 'POST') return logout(request)
    if (pathname === path(ENDPOINTS.exchange)) {
      const origin = request.headers.get('origin')
      let origins: readonly string[]
      try {
        origins = await allowed()
      } catch (error) {
        // the platform's own origins() failed: its error, reported; the caller gets a coded 500
        report(error)
        return failure(500, { code: 'EXCHANGE_FAILED', message: 'The exchange failed on the platform; try again.' }) // no CORS headers: the allowed origins are what failed
      }
      const vary = `Origin, ${STORAGE_ACCESS_STATUS_HEADER}`
      const cors: Record<string, string> =
        origin && origins.includes(origin) ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary } : { vary }
      if (method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'cache-control': 'no-store' },
        })
      }
      if (method !== 'POST') return failure(405, { code: 'REQUEST_INVALID', message: 'Use POST.' }, { ...cors, allow: 'POST, OPTIONS' })
      // before the body is read: the browser repeats the whole request, token included, with access active
      const retry = options.activateStorageAccess ? storageAccessRetry(request, origins) : undefined
      if (retry) {
        await request.body?.cancel().catch(() => undefined)
        const message = 'Storage access is granted but not active for this request: the browser sends it again with access active.'
        return failure(401, { code: 'EXCHANGE_FAILED', message }, { ...cors, 'activate-storage-access': retry })
      }
      return exchange(request, cors)
    }
    const known = { [path(ENDPOINTS.session)]: 'GET', [path(ENDPOINTS.logout)]: 'POST', [path(ENDPOINTS.storageAccess)]: 'GET' }[pathname]
    if (known) return failure(405, { code: 'REQUEST_INVALID', message: `Use ${known}.` }, { allow: known })
    return failure(404, { code: 'REQUEST_INVALID', message: 'No such endpoint.' })
  }
}
