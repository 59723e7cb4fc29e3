import {
  PROTOCOL_VERSION,
  SDK_VERSION,
  serializeError,
  SsoEmbedError,
  type AuthInfo,
  type FrameEvent,
  type HostMethods,
  type HostWelcome,
  type SerializedError,
  type StorageAccessReport,
} from '@sso-embed/protocol'
import type { HostAction, HostState } from './machine'
import type { ResolvedOptions } from './options'
import type { TokenSource } from './token-source'

/** What the host's answers to the frame read and change: the embed's state, tokens and outlets. */
export interface HostContext {
  options(): ResolvedOptions
  state(): HostState
  dispatch(action: HostAction): void
  tokens: TokenSource
  /** The first token, fetched while the iframe loads (postMessage transport), for the first welcome. */
  takeEarly(): Promise<string> | undefined
  /** A document greeted: the handshake timer stops, calls to the frame may go. */
  greeted(): void
  emit(type: string, payload?: unknown): void
  emitSoon(type: string, payload?: unknown): void
  /** A failure (fatal before the first sign-in). */
  fail(reason: unknown, fallback?: SerializedError['code']): void
  /** An accepted sign-in; `first`: the embed's first. */
  signedIn(auth: AuthInfo, first: boolean): void
  /** A sign-in the host refused. */
  refused(error: SsoEmbedError): void
  resize(height: number): void
  storage(report: StorageAccessReport): void
}

/**
 * The methods the host exposes to the frame, one per flow: `hello` (each new document's greeting,
 * answered with everything it needs, the first token included), `getToken` (every later token), and
 * `event` (everything the frame reports). The host decides here which sign-ins it accepts.
 */
export function createHostMethods(ctx: HostContext): {
  methods: HostMethods
  handOut(document: number, pending: Promise<string>): Promise<string>
  /** A welcome is waiting for its token: it will carry the queued one. */
  welcoming(): boolean
} {
  let welcoming = 0
  /** A token for frame document `document`; a failure is reported here and crosses to the frame coded. */
  const handOut = async (document: number, pending: Promise<string>) => {
    try {
      const token = await pending
      ctx.dispatch({ type: 'tokenHandedOut', document })
      return token
    } catch (error) {
      if ((error as { missing?: boolean }).missing) ctx.emitSoon('tokenExpired')
      ctx.fail(error, 'TOKEN_UNAVAILABLE')
      throw serializeError(error, 'TOKEN_UNAVAILABLE')
    }
  }

  const authenticated = ({ how, type: _, ...auth }: Extract<FrameEvent, { type: 'authenticated' }>) => {
    const first = !ctx.state().user
    ctx.dispatch({ type: 'signedIn', auth, how })
    if (ctx.state().lastSignIn === 'refused') {
      return ctx.refused(
        new SsoEmbedError('UNEXPECTED_SIGN_IN', `The frame signed in as user ${auth.user?.id} (${how}) though the host did not ask for it: refused`),
      )
    }
    if (how === 'token' || how === 'refresh' || how === 'url') ctx.tokens.used()
    ctx.signedIn(auth, first)
  }

  const methods: HostMethods = {
    async hello({ protocolVersion, sdkVersion, urlToken }) {
      if (protocolVersion !== PROTOCOL_VERSION) {
        const side = protocolVersion > PROTOCOL_VERSION ? '@sso-embed/core on this page' : "the platform's @sso-embed/frame"
        const error = new SsoEmbedError(
          'PROTOCOL_MISMATCH',
          `The platform's frame speaks protocol ${protocolVersion} (sdk ${sdkVersion}), this page ${PROTOCOL_VERSION} (sdk ${SDK_VERSION}): upgrade ${side}`,
        )
        ctx.fail(error)
        throw serializeError(error, 'PROTOCOL_MISMATCH')
      }
      ctx.greeted()
      ctx.dispatch({ type: 'greeted', urlToken, queued: ctx.tokens.queued })
      const { documents, allowed } = ctx.state()
      const options = ctx.options()
      const welcome: HostWelcome = {
        protocolVersion: PROTOCOL_VERSION,
        sdkVersion: SDK_VERSION,
        transport: options.transport,
        options: { ui: options.ui, locale: options.locale, theme: options.theme },
        ...(options.storage && { storage: options.storage }),
        ...(allowed.resume && { resume: allowed.resume }),
        ...(allowed.url && { useUrlToken: true }),
        ...(urlToken !== undefined && !allowed.url && ctx.tokens.queued && { supersededUrlToken: true }),
      }
      if (!allowed.resume && !allowed.url) {
        const early = ctx.takeEarly()
        welcoming++
        try {
          welcome.token = await handOut(documents, early && !ctx.tokens.queued ? early : ctx.tokens.next())
          // setToken() while that token was on its way (again and again): the newest queued one wins
          while (ctx.tokens.queued) welcome.token = await handOut(documents, ctx.tokens.next())
        } catch (error) {
          welcome.tokenError = error as SerializedError
        } finally {
          welcoming--
        }
      }
      return welcome
    },
    getToken: (params) => handOut(ctx.state().documents, ctx.tokens.next(params?.rejected)),
    event(event) {
      switch (event.type) {
        case 'authenticated':
          return authenticated(event)
        case 'error':
          return ctx.fail(event.error)
        case 'storageAccess': {
          const { type: _, ...report } = event
          return ctx.storage(report)
        }
        case 'resize':
          return ctx.resize(event.height)
        case 'navigate':
          return void (typeof event.path === 'string' && /^\/(?!\/)/.test(event.path) && ctx.emit('navigate', { path: event.path }))
        case 'platform':
          return void (typeof event.name === 'string' && ctx.emit(`platform:${event.name}`, event.payload))
        case 'sessionExpired':
        case 'signedOut':
          return ctx.emit(event.type)
      }
    },
  }
  return { methods, handOut, welcoming: () => welcoming > 0 }
}
