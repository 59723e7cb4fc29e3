import type { AuthInfo, SignInKind } from '@sso-embed/protocol'

export type EmbedState = 'mounting' | 'connecting' | 'authenticating' | 'ready' | 'error' | 'destroyed'

/** Who the iframe is signed in as, as far as the host accepted it. */
export interface SignedInUser {
  userId: string
  account?: string | undefined
}

/**
 * Everything the host knows about its iframe, changed only by {@link reduce}. The host decides which
 * sign-ins it accepts: a frame document signs in only with what this state allows.
 */
export interface HostState {
  status: EmbedState
  /** The user the iframe is signed in as: the last sign-in the host accepted. */
  user: SignedInUser | undefined
  /** Frame documents that greeted so far (each reload greets again). */
  documents: number
  /** The token the host put on the iframe URL (query/fragment), until the first document greeted. */
  urlToken: string | undefined
  /** Sign-ins the current document may report: tokens handed to it and not yet used, the URL token, a resume. */
  allowed: { tokens: number; url: boolean; resume: SignedInUser | undefined }
  /** Whether the last `signedIn` was accepted (read after dispatching one). */
  lastSignIn: 'accepted' | 'refused' | undefined
}

export type HostAction =
  | { type: 'mounted'; urlToken?: string | undefined }
  | { type: 'greeted'; urlToken?: string | undefined; queued?: boolean }
  | { type: 'tokenHandedOut'; document: number }
  | { type: 'authenticating' }
  | { type: 'signedIn'; auth: AuthInfo; how: SignInKind }
  | { type: 'failed' }
  | { type: 'destroyed' }

export const initialState: HostState = {
  status: 'mounting',
  user: undefined,
  documents: 0,
  urlToken: undefined,
  allowed: { tokens: 0, url: false, resume: undefined },
  lastSignIn: undefined,
}

/** Nothing follows `destroyed`. (An `error` before the first sign-in rejects `ready`, but a sign-in the host accepts may still follow it: a storage-access grant after a denial, say.) */
export const isFinal = (state: HostState): boolean => state.status === 'destroyed'

/** The embed failed before its first sign-in: `ready` is rejected, and another failure adds nothing. */
export const failedFirst = (state: HostState): boolean => state.status === 'error' && !state.user

/** Whether the current frame document may report this sign-in. */
function expected(state: HostState, auth: AuthInfo, how: SignInKind): boolean {
  const { allowed } = state
  if (how === 'url') return allowed.url
  if (how === 'resume') {
    const named = allowed.resume
    return !!named && named.userId === auth.user?.id && (named.account === undefined || named.account === auth.account)
  }
  return allowed.tokens > 0
}

/** The host's one state machine: every change to {@link HostState} is one of these transitions. */
export function reduce(state: HostState, action: HostAction): HostState {
  if (isFinal(state)) return state
  switch (action.type) {
    case 'mounted':
      return { ...state, status: 'connecting', urlToken: action.urlToken }
    case 'greeted': {
      // the URL token is for the iframe's first document only, and only the very token the host put there;
      // a token queued by setToken() wins over both the URL token and a resume
      const url = !action.queued && state.documents === 0 && state.urlToken !== undefined && action.urlToken === state.urlToken
      return {
        ...state,
        status: state.status === 'connecting' ? 'authenticating' : state.status,
        documents: state.documents + 1,
        urlToken: undefined,
        // tokens handed to an earlier document went with it
        allowed: { tokens: 0, url, resume: action.queued ? undefined : state.user },
      }
    }
    case 'tokenHandedOut':
      if (action.document !== state.documents) return state // for a document that is gone
      return { ...state, allowed: { ...state.allowed, tokens: state.allowed.tokens + 1 } }
    case 'authenticating':
      return state.user ? state : { ...state, status: 'authenticating' }
    case 'signedIn': {
      const { auth, how } = action
      if (!expected(state, auth, how)) return { ...state, status: 'error', lastSignIn: 'refused' }
      // tokens handed out before it are used up (a retry's, a superseded one's): the next sign-in pulls its own
      return {
        ...state,
        status: 'ready',
        user: { userId: auth.user.id, account: auth.account },
        allowed: { tokens: 0, url: false, resume: undefined },
        lastSignIn: 'accepted',
      }
    }
    case 'failed':
      return state.user ? state : { ...state, status: 'error' }
    case 'destroyed':
      return { ...state, status: 'destroyed' }
  }
}
