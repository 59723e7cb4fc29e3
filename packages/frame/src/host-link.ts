import { quietDeferred, deserializeError, type ErrorCode, type FrameEvent, type HostMethods, type Remote } from '@sso-embed/protocol'

const noop = () => {}

/**
 * The frame's line to the host once its welcome came: `report` sends an event, `pull` asks for a token.
 * A document going away (a reload) aborts its fetches: from `pagehide` on, nothing more is reported,
 * since those failures are not the host's to hear.
 */
export function createHostLink() {
  const host = quietDeferred<Remote<HostMethods>>()
  let leaving = false
  const onPageHide = () => void (leaving = true)
  // a document restored from the back/forward cache is back: it reports again
  const onPageShow = (event: PageTransitionEvent) => void (event.persisted && (leaving = false))

  return {
    /** The host's methods, from its welcome (nothing is sent before it: nothing is installed before it either). */
    welcomed(remote: Remote<HostMethods>): void {
      addEventListener('pagehide', onPageHide)
      addEventListener('pageshow', onPageShow)
      host.resolve(remote)
    },
    report(event: FrameEvent): void {
      if (!leaving) host.promise.then((remote) => remote.event(event)).catch(noop)
    },
    /** A token from the host; `rejected`: the platform refused the last one with this code. */
    async pull(rejected?: ErrorCode): Promise<string> {
      try {
        return await (await host.promise).getToken(rejected ? { rejected } : undefined)
      } catch (error) {
        // the host could not give a token: it reported that itself
        throw Object.assign(deserializeError(error, 'TOKEN_UNAVAILABLE'), { fromHost: true })
      }
    },
    destroy() {
      removeEventListener('pagehide', onPageHide)
      removeEventListener('pageshow', onPageShow)
    },
  }
}
