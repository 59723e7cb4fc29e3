/**
 * Helpers for framework wrappers (React, Vue, the custom element, your own): which options changed, and
 * every event name. A separate entry, so a page that only calls `configure()` does not ship them.
 * @packageDocumentation
 * @module @sso-embed/core/wrapper
 */
import { SsoEmbedError } from '@sso-embed/protocol'
import type { Embed, UpdatableOptions } from './configure'
import { known, type EmbedEventName } from './events'
import { MOUNT_OPTIONS, type EmbedOptions } from './options'

export { MOUNT_OPTIONS }
export { canRetry } from './ui/retry'
export { logUnheard } from './unheard'

/** Every event an embed emits, for wrappers that map them to callbacks, emits or DOM events. */
export const EMBED_EVENTS = Object.keys(known) as readonly EmbedEventName[]

// plain data (`ui`, `theme`, `iframe`) compares by value; anything else (an element) by identity
const plain = (v: unknown) => typeof v === 'object' && v !== null && [Object.prototype, Array.prototype, null].includes(Object.getPrototypeOf(v))
const same = (a: unknown, b: unknown) => a === b || (plain(a) && plain(b) && JSON.stringify(a) === JSON.stringify(b))

/**
 * What changed between two sets of options, for framework wrappers: `remount` when a mount option
 * changed, else the `changes` to pass to `embed.update()` (plain objects such as `ui` compare by value,
 * so a re-render with an equal object literal changes nothing).
 */
export function changedOptions(previous: Partial<EmbedOptions>, next: Partial<EmbedOptions>): { remount: boolean; changes: UpdatableOptions | undefined } {
  if (MOUNT_OPTIONS.some((key) => !same(previous[key], next[key]))) return { remount: true, changes: undefined }
  const changes: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(previous), ...Object.keys(next)]) as Set<keyof EmbedOptions>) {
    if (!same(previous[key], next[key]) && next[key] !== undefined) changes[key] = next[key]
  }
  return { remount: false, changes: Object.keys(changes).length ? (changes as UpdatableOptions) : undefined }
}

/** What a wrapper's own loading and error UI shows: `loading` until signed in, `error` when the embed failed, else nothing. */
export type EmbedView = { kind: 'loading' } | { kind: 'error'; error: SsoEmbedError } | { kind: 'none' }

/**
 * Follows `embed` for a wrapper's custom loading / error slots (what core's own views show): calls `set`
 * with `loading` at once, `none` on each sign-in, `error` for a failure that ended the embed (or a
 * session that ended without a fresh token). Returns the function that stops following.
 */
export function followView(embed: Embed, set: (view: EmbedView) => void): () => void {
  set({ kind: 'loading' })
  const offs = [
    embed.on('authenticated', () => set({ kind: 'none' })),
    embed.on('error', (error) => embed.state === 'error' && set({ kind: 'error', error })),
    embed.on('sessionExpired', () => set({ kind: 'error', error: new SsoEmbedError('SESSION_EXPIRED', 'The session ended and no fresh token came') })),
  ]
  return () => {
    for (const off of offs) off()
  }
}
