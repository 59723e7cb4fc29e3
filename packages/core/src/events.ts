import type { AuthInfo, PlatformContract, SsoEmbedError, StorageAccessReport, UntypedPlatform } from '@sso-embed/protocol'

/** Events of an {@link Embed}, with the payload each listener receives. */
export interface EmbedEvents {
  /** First successful sign-in (once). */
  ready: AuthInfo
  /** Every successful sign-in the host accepted: the first, each refresh, each `setToken`, each resume after a reload. */
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
  /** The user signed out inside the frame (`connection.logout()`). */
  signedOut: undefined
}

export type EmbedEventName = keyof EmbedEvents

/** The platform's own events, as `platform:<name>` (see `PlatformContract`). */
export type PlatformEvents<P extends PlatformContract = UntypedPlatform> = {
  [K in keyof P['events'] & string as `platform:${K}`]: P['events'][K]
}

/** Every event an embed of platform `P` emits. */
export type AllEvents<P extends PlatformContract = UntypedPlatform> = EmbedEvents & PlatformEvents<P>

/** Every event name, checked against EmbedEvents by the compiler (a missing or extra key fails to build). */
export const known: Record<EmbedEventName, 1> = {
  ready: 1,
  authenticated: 1,
  error: 1,
  tokenExpired: 1,
  navigate: 1,
  resize: 1,
  storageAccess: 1,
  sessionExpired: 1,
  signedOut: 1,
}

export type Listener<K extends EmbedEventName> = (payload: EmbedEvents[K]) => void

type AnyListener = (payload: never) => void

/** A minimal typed event emitter; a listener that throws is reported and does not stop the others. */
export function createEmitter() {
  const listeners = new Map<string, Set<AnyListener>>()
  return {
    on(type: string, fn: AnyListener): () => void {
      if (!(Object.hasOwn(known, type) || /^platform:./.test(type)) || typeof fn !== 'function') {
        throw new TypeError(`on(): unknown event "${type}" or no listener`)
      }
      let set = listeners.get(type)
      if (!set) listeners.set(type, (set = new Set()))
      set.add(fn)
      return () => void set.delete(fn)
    },
    /** Calls every listener of `type`; returns how many there were. */
    emit(type: string, payload: unknown): number {
      const current = [...(listeners.get(type) ?? [])]
      for (const fn of current) {
        try {
          ;(fn as (payload: unknown) => void)(payload)
        } catch (error) {
          reportError(error)
        }
      }
      return current.length
    },
    clear: () => listeners.clear(),
  }
}

export type Emitter = ReturnType<typeof createEmitter>
