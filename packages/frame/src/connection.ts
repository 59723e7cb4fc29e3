import type { AuthInfo, DisplayOptions, FrameEvent, PlatformContract, StorageAccessReport } from '@sso-embed/protocol'
import { logoutAtEndpoint } from './exchange'
import type { FrameAction } from './machine'
import type { HostConnection } from './options'
import type { Session } from './session'

/** What the frame learned so far, read through the {@link HostConnection}'s getters. */
export interface FrameView {
  hostOrigin: string | undefined
  display: DisplayOptions
  storage: StorageAccessReport | undefined
}

export interface ConnectionDeps {
  ready(): Promise<AuthInfo>
  view: FrameView
  session: Session
  report(event: FrameEvent): void
  dispatch(action: FrameAction): void
  /** Stops every sign-in still running and every refresh retry. */
  stopSignIns(): void
  logoutUrl: string | undefined
  /** Disconnects and stops everything (once). */
  destroy(): void
}

/** The {@link HostConnection} that `connectToHost()` returns: the platform page's handle on its host. */
export function createConnection<P extends PlatformContract>(deps: ConnectionDeps): HostConnection<P> {
  const { view, session, report } = deps
  return {
    get ready() {
      return deps.ready()
    },
    get auth() {
      return session.auth
    },
    get hostOrigin() {
      return view.hostOrigin
    },
    get display() {
      return view.display
    },
    get storage() {
      return view.storage
    },
    fetch: (input, init) => session.fetch(input, init, view.hostOrigin),
    navigated: (path) => report({ type: 'navigate', path }),
    emit(name, payload) {
      if (typeof name !== 'string' || !name) throw new TypeError('emit(name, payload): name must be a non-empty string')
      report({ type: 'platform', name, payload })
    },
    async logout() {
      const headers = session.headers(view.hostOrigin)
      session.clear()
      deps.stopSignIns() // no refresh retry signs the user back in
      deps.dispatch({ type: 'signedOut' })
      report({ type: 'signedOut' })
      if (deps.logoutUrl) await logoutAtEndpoint(deps.logoutUrl, headers)
    },
    destroy: deps.destroy,
  }
}
