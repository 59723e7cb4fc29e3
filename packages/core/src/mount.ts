import { SsoEmbedError, type HostMethods, type Logger } from '@sso-embed/protocol'
import { diagnoseTimeout, opaqueHost, watchFrame } from './diagnose'
import { createIframe, frameUrl } from './iframe'
import { linkFrame, type FrameLink } from './link'
import type { HostAction } from './machine'
import type { ResolvedOptions } from './options'
import type { TokenSource } from './token-source'

export interface MountDeps {
  container: Element
  options(): ResolvedOptions
  methods: HostMethods
  log: Logger
  tokens: TokenSource
  /** Hands a token out for document `document` (a failure is reported there). */
  handOut(document: number, pending: Promise<string>): Promise<string>
  dispatch(action: HostAction): void
  alive(): boolean
  /** Frame documents that greeted so far. */
  documents(): number
  fail(error: unknown, fallback?: SsoEmbedError['code']): void
  /** The container's views: the iframe was (re)mounted. */
  mounted(): void
  /** The channel was given up before any document greeted (blocked, refused, timed out). */
  lost(error: SsoEmbedError): void
}

/**
 * The iframe and its channel: mounted once per `start()` (and again by `retry()`), torn down by
 * `teardown()`. With the `postMessage` transport the first token is fetched while the iframe loads
 * (`takeEarly()` gives it to the first welcome); with `query` / `fragment` it is part of the URL.
 */
export function createMount(deps: MountDeps) {
  const { container, tokens, log } = deps
  let iframe: HTMLIFrameElement | undefined
  let link: FrameLink | undefined
  let unwatch = () => {}
  let early: Promise<string> | undefined
  let attempt = 0

  const start = async (turn: number) => {
    const opts = deps.options()
    const opaque = opaqueHost()
    if (opaque) throw opaque
    const urlToken = opts.transport === 'postMessage' ? undefined : await deps.handOut(0, tokens.next())
    if (urlToken === undefined) (early = tokens.next()).catch((error) => deps.handOut(0, Promise.reject(error)).catch(() => {}))
    if (!deps.alive() || turn !== attempt) return // destroyed, or retried, while the token came
    const origin = new URL(opts.instanceUrl).origin
    iframe = createIframe(frameUrl(opts, urlToken), opts)
    container.append(iframe)
    if (!iframe.contentWindow) throw new SsoEmbedError('CONTAINER_NOT_FOUND', 'The container is not in the document')
    deps.dispatch({ type: 'mounted', urlToken })
    deps.mounted()
    const stop = (error: SsoEmbedError) => {
      // a frame that already greeted was not blocked: a CSP report naming the platform is another embed's
      if (deps.documents() > 0 && error.code === 'FRAME_BLOCKED_BY_CSP') return
      deps.fail(error)
      // a greeted frame keeps its channel; one that never greeted is given up
      if (deps.documents() === 0) {
        link?.destroy()
        deps.lost(error)
      }
    }
    unwatch = watchFrame(iframe, origin, stop)
    link = linkFrame(iframe, origin, deps.methods, { timeout: opts.timeout, log, onTimeout: (loaded) => stop(diagnoseTimeout(opts, loaded)) })
  }

  return {
    get iframe() {
      return iframe
    },
    get link() {
      return link
    },
    start(): void {
      const turn = ++attempt
      start(turn).catch((error) => deps.fail(error, 'TOKEN_UNAVAILABLE'))
    },
    /** The first token, for the first welcome (once). */
    takeEarly(): Promise<string> | undefined {
      const taken = early
      early = undefined
      return taken
    },
    /** Removes the iframe, its channel and watchers (destroy, or before a retry mounts anew). */
    teardown(): void {
      attempt++
      link?.destroy()
      unwatch()
      iframe?.remove()
      iframe = link = undefined
      unwatch = () => {}
    },
  }
}

export type Mount = ReturnType<typeof createMount>
