import type { AuthInfo, PlatformContract, StorageAccessReport, UntypedPlatform } from '@sso-embed/protocol'
import type { AllEvents } from './events'
import type { EmbedState } from './machine'
import type { EmbedOptions, MOUNT_OPTIONS } from './options'

/** Options that {@link Embed.update} accepts: everything but what decides where and how the iframe is mounted. */
export type UpdatableOptions = Partial<Omit<EmbedOptions, (typeof MOUNT_OPTIONS)[number]>>

/** A mounted embed, returned by {@link configure}; `P` types the platform's own events and commands. */
export interface Embed<P extends PlatformContract = UntypedPlatform> {
  /**
   * Resolves with the user and project once signed in; rejects with an `SsoEmbedError` if that fails first.
   * A sign-in that still follows a failure (the frame's own *Try again* after `STORAGE_ACCESS_DENIED`, or
   * `retry()`) makes `ready` a new, resolved promise; one read earlier stays rejected, so listen to
   * `authenticated` to hear every sign-in.
   */
  readonly ready: Promise<AuthInfo>
  readonly state: EmbedState
  /** The iframe, once mounted. */
  readonly iframe: HTMLIFrameElement | undefined
  /** The frame's latest storage report (`status`: unpartitioned, partitioned or cookieless, or a step of the `require` flow). */
  readonly storage: StorageAccessReport | undefined
  /** Subscribes to an event (`platform:<name>` for the platform's own); returns the function that unsubscribes. */
  on<K extends keyof AllEvents<P> & string>(type: K, listener: (payload: AllEvents<P>[K]) => void): () => void
  /** Queues a new JWT and asks the frame to sign in again with it, without reloading the iframe. */
  setToken(token: string): void
  /** Moves the platform to `path` (relative to `instanceUrl`). */
  navigate(path: string): void
  /** Changes options after mounting: `ui`, `locale` and `theme` go to the frame; `token` and `path` as above. */
  update(options: UpdatableOptions): void
  /** Runs a command the platform defined; rejects with `UNKNOWN_COMMAND`, `COMMAND_FAILED` or `DESTROYED`. */
  send<K extends keyof P['commands'] & string>(name: K, payload: P['commands'][K]['payload']): Promise<P['commands'][K]['result']>
  /**
   * Mounts a new iframe and signs in again, calling `getToken` / `tokenUrl` for a fresh token: what the
   * error view's *Retry* button does. `ready` is then a new promise.
   */
  retry(): void
  /** Removes the iframe, every listener and timer, and tells the frame. Safe to call more than once. */
  destroy(): void
}
