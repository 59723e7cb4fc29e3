/**
 * The frame's one state machine. `turn` numbers sign-ins: several may overlap (a `setToken()` while an
 * exchange runs, a refresh), and only the latest one started may change the session.
 */
export type FrameStatus = 'connecting' | 'signingIn' | 'signedIn' | 'expired' | 'signedOut' | 'failed' | 'destroyed'

export interface FrameState {
  status: FrameStatus
  /** The latest sign-in started. */
  turn: number
  /** Whether a sign-in ever succeeded (a failure after it is an event, not the end). */
  signedInOnce: boolean
}

export type FrameAction =
  | { type: 'signInStarted' }
  | { type: 'signedIn'; turn: number }
  | { type: 'failed'; turn?: number | undefined }
  | { type: 'expired' }
  | { type: 'signedOut' }
  | { type: 'destroyed' }

export const initialFrameState: FrameState = { status: 'connecting', turn: 0, signedInOnce: false }

/**
 * Only destroy() ends the connection. A failure before the first sign-in rejects `ready`, but a sign-in
 * may still follow it (storage access granted on a later try).
 */
export const isFrameFinal = (state: FrameState): boolean => state.status === 'destroyed'

export function reduceFrame(state: FrameState, action: FrameAction): FrameState {
  if (isFrameFinal(state)) return state
  switch (action.type) {
    case 'signInStarted':
      // a refresh keeps the current session shown until it is replaced
      return { ...state, turn: state.turn + 1, status: state.status === 'signedIn' ? 'signedIn' : 'signingIn' }
    case 'signedIn':
      return action.turn === state.turn ? { ...state, status: 'signedIn', signedInOnce: true } : state
    case 'failed':
      if (action.turn !== undefined && action.turn !== state.turn) return state // superseded
      return state.status === 'signedIn' ? state : { ...state, status: 'failed' }
    case 'expired':
      return { ...state, status: 'expired' }
    case 'signedOut':
      // a sign-in still running (a refresh) must not sign the user back in
      return { ...state, turn: state.turn + 1, status: 'signedOut' }
    case 'destroyed':
      return { ...state, status: 'destroyed' }
  }
}
