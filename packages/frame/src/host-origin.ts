import { SsoEmbedError, type Logger } from '@sso-embed/protocol'

/**
 * The host page's origin as the browser reports it, never as the host states it:
 * `location.ancestorOrigins[0]` where the browser has it, else the `origin` of the first penpal message
 * from the parent window. Rejects with `ORIGIN_NOT_ALLOWED` for a parent outside `allowed`.
 */
export function detectHostOrigin(allowed: readonly string[], log: Logger): { origin: Promise<string>; stop: () => void } {
  let stop = () => {}
  const origin = new Promise<string>((resolve, reject) => {
    const check = (candidate: string) =>
      allowed.includes(candidate)
        ? resolve(candidate)
        : reject(new SsoEmbedError('ORIGIN_NOT_ALLOWED', `Embedded by ${candidate}, not in allowedHostOrigins`))
    const ancestor = location.ancestorOrigins?.[0]
    if (ancestor) return check(ancestor)
    const listener = (e: MessageEvent) => {
      if (e.source !== parent || (e.data as { namespace?: string } | null)?.namespace !== 'penpal') return
      log?.('host origin', e.origin)
      stop()
      check(e.origin)
    }
    addEventListener('message', listener)
    stop = () => removeEventListener('message', listener)
  })
  origin.catch(() => {})
  return { origin, stop: () => stop() }
}
