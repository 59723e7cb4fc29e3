import { quietDeferred, readyPromise, SsoEmbedError, type AuthInfo, type FrameMethods, type Logger, type Remote } from '@sso-embed/protocol'
import { initialState, reduce, type HostAction, type HostState } from './machine'

const noop = () => {}
export const destroyedError = () => new SsoEmbedError('DESTROYED', 'Destroyed')

/**
 * What one embed knows about its current iframe: the state machine's state, `ready`, and the frame
 * methods once the first document greeted. `retry()` starts it over for a new iframe.
 */
export function createInstance(log: Logger) {
  let state: HostState = initialState
  // failures are also reported as `error` events: nobody has to await these
  let ready = readyPromise<AuthInfo>()
  let connected = quietDeferred<Remote<FrameMethods>>()

  const instance = {
    get state() {
      return state
    },
    get ready() {
      return ready.promise
    },
    /** Resolves with the frame's methods once its first document greeted. */
    get connected() {
      return connected.promise
    },
    alive: () => state.status !== 'destroyed',
    dispatch(action: HostAction) {
      const before = state.status
      state = reduce(state, action)
      if (state.status !== before) log?.('state', before, '→', state.status)
    },
    greeted: (remote: Promise<Remote<FrameMethods>>) => void remote.then(connected.resolve, noop),
    /** Signed in: `ready` resolves (a new promise if it had rejected: the frame's Try again, a storage grant). */
    signedIn: (auth: AuthInfo) => ready.resolve(auth),
    failed: (error: unknown) => ready.reject(error),
    /** Nothing answers before a document greeted: calls waiting for one end with `error`. */
    lost: (error: unknown) => connected.reject(error),
    /**
     * Calls the frame once its first document greeted. A call lost with a document that went away (a
     * reload: `DESTROYED`) is no failure of the embed; any other is `fail`ed.
     */
    whenConnected(call: (remote: Remote<FrameMethods>) => unknown, fail: (error: unknown) => void) {
      void connected.promise.then(call).catch((error) => instance.alive() && (error as { code?: string })?.code !== 'DESTROYED' && fail(error))
    },
    /** A new iframe: a state machine of its own and a new `ready`; calls still waiting for the old iframe end. */
    reset() {
      state = initialState
      connected.reject(destroyedError())
      ready = readyPromise()
      connected = quietDeferred()
    },
    /** `destroy()`: the final state; `ready` and calls waiting for the frame reject with `DESTROYED`. */
    end() {
      instance.dispatch({ type: 'destroyed' })
      ready.reject(destroyedError())
      connected.reject(destroyedError())
    },
  }
  return instance
}

export type Instance = ReturnType<typeof createInstance>
