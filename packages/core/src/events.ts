import type { AuthInfo, SsoEmbedError, StorageAccessReport } from '@sso-embed/protocol'

/** Events of an {@link Embed}, with the payload each listener receives. */
export interface EmbedEvents {
  /** First successful sign-in (once). */
  ready: AuthInfo
  /** Every successful sign-in: the first, each refresh and each `setToken`. */
  authenticated: AuthInfo
  /** A failure, with a stable `code`. Before `ready` it is fatal and rejects `embed.ready`. */
  error: SsoEmbedError
  /** The frame needs a new token and there is no `getToken`/`tokenUrl`: call `embed.setToken()`. */
  tokenExpired: undefined
  /** The platform changed route (path relative to `instanceUrl`). */
  navigate: { path: string }
  /** The frame's content height changed. */
  resize: { height: number }
  /** What the frame found out about its storage and cookies. */
  storageAccess: StorageAccessReport
  /** The platform session ended without a refresh. */
  sessionExpired: undefined
}

export type EmbedEventName = keyof EmbedEvents

/** Every event name, checked against EmbedEvents by the compiler (a missing or extra key fails to build). */
export const known: Record<EmbedEventName, 1> = { ready: 1, authenticated: 1, error: 1, tokenExpired: 1, navigate: 1, resize: 1, storageAccess: 1, sessionExpired: 1 }

export type Listener<K extends EmbedEventName> = (payload: EmbedEvents[K]) => void

/** A minimal typed event emitter; a listener that throws is reported and does not stop the others. */
export function createEmitter() {
  const listeners = new Map<EmbedEventName, Set<Listener<never>>>()
  return {
    on<K extends EmbedEventName>(type: K, fn: Listener<K>): () => void {
      if (!Object.hasOwn(known, type) || typeof fn !== 'function') throw new TypeError(`on(): unknown event "${type}" or no listener`)
      let set = listeners.get(type)
      if (!set) listeners.set(type, (set = new Set()))
      set.add(fn as Listener<never>)
      return () => void set.delete(fn as Listener<never>)
    },
    emit<K extends EmbedEventName>(type: K, payload: EmbedEvents[K]): void {
      for (const fn of [...(listeners.get(type) ?? [])]) {
        try {
          ;(fn as Listener<K>)(payload)
        } catch (error) {
          reportError(error)
        }
      }
    },
    clear: () => listeners.clear(),
  }
}
