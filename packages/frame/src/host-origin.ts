import { quietDeferred, REFUSAL, SsoEmbedError, type Refusal } from '@sso-embed/protocol'

/**
 * The host page's origin as the browser reports it, never as the host states it:
 * `location.ancestorOrigins[0]` where the browser has it (Chromium, WebKit), else the origin of the
 * parent's first penpal message (Firefox), which `seen` hears. An origin outside `allowed` rejects, and
 * that parent hears one {@link Refusal} at its exact origin, so its host SDK can say so at once.
 */
export function discoverHostOrigin(allowed: readonly string[]) {
  const found = quietDeferred<string>()
  const ancestor: string | undefined = location.ancestorOrigins?.[0]
  const seen = (candidate: string) => {
    if (allowed.includes(candidate)) found.resolve(candidate)
    else {
      found.reject(new SsoEmbedError('ORIGIN_NOT_ALLOWED', `Embedded by ${candidate}, which is not in allowedHostOrigins`))
      refuse(candidate)
    }
  }
  if (ancestor) seen(ancestor)
  return {
    origin: found.promise,
    /** Where the host may be: the parent's origin when the browser names it (the frame speaks first), else every allowed one (it waits). */
    origins: ancestor ? [ancestor] : allowed,
    speakFirst: !!ancestor,
    /** The browser named a parent that is not allowed: there is nobody to talk to. */
    refused: ancestor !== undefined && !allowed.includes(ancestor),
    seen,
  }
}

/** Tells a parent that is not allowed why nothing follows (posted to its exact origin, never `'*'`). */
function refuse(origin: string) {
  if (!/^https?:\/\//.test(origin)) return // an opaque parent ('null') cannot be addressed
  try {
    window.parent.postMessage({ type: REFUSAL, code: 'ORIGIN_NOT_ALLOWED' } satisfies Refusal, origin)
  } catch {
    // a parent gone mid-navigation: nobody to tell
  }
}
