import { isRefusal, SsoEmbedError } from '@sso-embed/protocol'
import type { ResolvedOptions } from './options'

/**
 * Why a frame is not answering, found out as early as the browser lets this page see it:
 * `FRAME_BLOCKED_BY_CSP` at once when this page's CSP blocks the iframe (a `securitypolicyviolation`
 * for `frame-src` / `child-src` / `default-src` naming the platform), `ORIGIN_NOT_ALLOWED` at once when
 * the platform's page runs but does not allow this origin (its one refusal message). Returns the cleanup.
 */
export function watchFrame(iframe: HTMLIFrameElement, origin: string, fail: (error: SsoEmbedError) => void): () => void {
  const onViolation = (e: SecurityPolicyViolationEvent) => {
    if (!/^(frame|child)-src$/.test(e.effectiveDirective) || !sameOrigin(e.blockedURI, origin)) return
    fail(
      new SsoEmbedError(
        'FRAME_BLOCKED_BY_CSP',
        `This page's Content-Security-Policy blocks the platform's iframe (${e.violatedDirective}): add ${origin} to frame-src`,
      ),
    )
  }
  const onMessage = (e: MessageEvent) => {
    if (e.source !== iframe.contentWindow || e.origin !== origin || !isRefusal(e.data)) return
    fail(new SsoEmbedError('ORIGIN_NOT_ALLOWED', `The platform's page does not allow ${ownOrigin()}: the platform must register it`))
  }
  document.addEventListener('securitypolicyviolation', onViolation)
  addEventListener('message', onMessage)
  return () => {
    document.removeEventListener('securitypolicyviolation', onViolation)
    removeEventListener('message', onMessage)
  }
}

/** This document's origin (not its URL's: see {@link opaqueHost}). */
const ownOrigin = () => globalThis.origin

const sameOrigin = (url: string, origin: string) => {
  try {
    return new URL(url).origin === origin
  } catch {
    return false
  }
}

/**
 * `HANDSHAKE_TIMEOUT`, with what the host can tell: the iframe never loaded (the platform is unreachable,
 * or refuses to be framed here in a browser that then fires no `load`), or it loaded a document that
 * never greeted (the platform's `frame-ancestors` / `X-Frame-Options` refused this page — browsers show
 * an error document then — or its page does not run `connectToHost()`).
 */
export function diagnoseTimeout({ instanceUrl, timeout }: ResolvedOptions, loaded: boolean): SsoEmbedError {
  const platform = new URL(instanceUrl).origin
  return new SsoEmbedError(
    'HANDSHAKE_TIMEOUT',
    loaded
      ? `The iframe loaded ${instanceUrl} but nothing greeted in ${timeout} ms: the platform refuses to be framed by ${ownOrigin()} (frame-ancestors, X-Frame-Options), or the page does not run connectToHost()`
      : `The iframe never loaded ${platform} in ${timeout} ms: the platform is unreachable`,
  )
}

/**
 * `HOST_ORIGIN_OPAQUE` when this document has no origin a platform could register (`null`), else nothing.
 * The document's origin (`ownOrigin()`), not its URL's: an `about:srcdoc` frame with `allow-same-origin`
 * has its parent's origin though `location.origin` says `null`.
 */
export function opaqueHost(origin = ownOrigin()): SsoEmbedError | undefined {
  if (origin !== 'null') return undefined
  return new SsoEmbedError(
    'HOST_ORIGIN_OPAQUE',
    'This page\'s origin is opaque ("null"), which no platform can allow: give its sandbox allow-same-origin and register that origin',
  )
}
