// A stand-in for core's configure() in the framework wrappers' unit tests: it mounts a placeholder
// element for the iframe (FRAME) in the container and records what the wrapper asks of the embed.
// Core itself is tested on its own.
import { vi, type Mock } from 'vitest'
import type { Embed, EmbedOptions } from '../src/index'

/** The tag of the element that stands for the iframe (happy-dom cannot load iframe pages). */
export const FRAME = 'fake-embed-frame'

export interface FakeEmbed extends Omit<Embed, 'setToken' | 'navigate' | 'update' | 'retry' | 'state'> {
  state: string
  options: EmbedOptions
  listeners: Map<string, Set<(payload: unknown) => void>>
  emit(type: string, payload?: unknown): void
  setToken: Mock<(token: string) => void>
  navigate: Mock<(path: string) => void>
  update: Mock<(changes: object) => void>
  retry: Mock<() => void>
  destroyed: boolean
}

export const embeds: FakeEmbed[] = []

export function fakeConfigure(options: EmbedOptions): Embed {
  const container = options.container as Element
  const iframe = document.createElement(FRAME)
  container.append(iframe)
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const embed = {
    options,
    listeners,
    destroyed: false,
    ready: new Promise(() => {}),
    state: 'connecting',
    iframe,
    storage: undefined,
    on(type: string, fn: (payload: unknown) => void) {
      if (!listeners.has(type)) listeners.set(type, new Set())
      listeners.get(type)!.add(fn)
      return () => listeners.get(type)?.delete(fn)
    },
    emit(type: string, payload?: unknown) {
      for (const fn of listeners.get(type) ?? []) fn(payload)
    },
    setToken: vi.fn(),
    navigate: vi.fn(),
    update: vi.fn(),
    retry: vi.fn(),
    destroy() {
      embed.destroyed = true
      iframe.remove()
      listeners.clear() // as core's destroy() does: a wrapper need not unsubscribe one by one
    },
  } as unknown as FakeEmbed
  embeds.push(embed)
  return embed as unknown as Embed
}

/** Embeds that are still alive. */
export const live = () => embeds.filter((embed) => !embed.destroyed)
