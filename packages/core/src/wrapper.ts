/**
 * Helpers for framework wrappers (React, Vue, the custom element, your own): which options changed, and
 * every event name. A separate entry, so a page that only calls `configure()` does not ship them.
 * @packageDocumentation
 * @module @sso-embed/core/wrapper
 */
import type { UpdatableOptions } from './configure'
import { known, type EmbedEventName } from './events'
import { MOUNT_OPTIONS, type EmbedOptions } from './options'

export { MOUNT_OPTIONS }
export { canRetry } from './ui/retry'

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
