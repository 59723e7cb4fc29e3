'use client'
import { configure, type Embed, type EmbedEventName, type EmbedEvents, type EmbedOptions } from '@sso-embed/core'
import { changedOptions, EMBED_EVENTS, MOUNT_OPTIONS } from '@sso-embed/core/wrapper'
import { useEffect, useRef, useState, type RefObject } from 'react'

type HandlerName<K extends string> = `on${Capitalize<K>}`

/** Event props: `onReady`, `onAuthenticated`, `onError`, `onNavigate`, `onResize`, `onStorageAccess`, `onTokenExpired`, `onSessionExpired`. */
export type EmbedHandlers = {
  [K in EmbedEventName as HandlerName<K>]?: (payload: EmbedEvents[K]) => void
}

/** Every option of `configure()` but the container, plus the event props. */
export type UseEmbedOptions = Omit<EmbedOptions, 'container'> & EmbedHandlers

const handlerName = (name: EmbedEventName) => `on${name[0]!.toUpperCase()}${name.slice(1)}` as keyof EmbedHandlers

/** The options part of the props (no handlers, no undefined values). */
function embedOptions(props: UseEmbedOptions): Omit<EmbedOptions, 'container'> {
  const options: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(props)) if (value !== undefined && !/^on[A-Z]/.test(key)) options[key] = value
  return options as Omit<EmbedOptions, 'container'>
}

/**
 * Mounts an embed in the element of the returned `ref` (see `<EmbeddedBuilder>`). A changed `token`
 * signs in again without reloading the iframe; other changes go to `embed.update()`; a changed
 * `instanceUrl`, `transport` or `storage` mounts a new embed; unmounting destroys it. Safe under
 * `<StrictMode>` (the first effect's embed is destroyed before the second is made).
 */
export function useEmbed<T extends HTMLElement = HTMLDivElement>(props: UseEmbedOptions): { ref: RefObject<T | null>; embed: Embed | undefined } {
  const ref = useRef<T>(null)
  const [embed, setEmbed] = useState<Embed>()
  const latest = useRef(props)
  latest.current = props
  const applied = useRef<Omit<EmbedOptions, 'container'>>(undefined)
  const options = embedOptions(props)
  // the container is this hook's element: the other mount options decide when to mount anew
  const mountKey = JSON.stringify(MOUNT_OPTIONS.map((key) => (key === 'container' ? undefined : options[key])))

  // biome-ignore lint/correctness/useExhaustiveDependencies: mountKey is what decides a new mount; the latest options are read from a ref
  useEffect(() => {
    applied.current = embedOptions(latest.current)
    const current = configure({ ...applied.current, container: ref.current! })
    for (const name of EMBED_EVENTS) current.on(name, (payload) => (latest.current[handlerName(name)] as ((p: unknown) => void) | undefined)?.(payload))
    setEmbed(current)
    return () => {
      current.destroy() // removes the iframe and every listener
      setEmbed(undefined)
    }
  }, [mountKey])

  useEffect(() => {
    if (!embed || !applied.current) return
    const { changes } = changedOptions(applied.current, options)
    applied.current = options
    if (changes) embed.update(changes)
  })

  return { ref, embed }
}
