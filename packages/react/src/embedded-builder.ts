'use client'
import type { Embed } from '@sso-embed/core'
import { createElement, forwardRef, useImperativeHandle, type CSSProperties } from 'react'
import { useEmbed, type UseEmbedOptions } from './use-embed'

export type EmbeddedBuilderProps = UseEmbedOptions & { className?: string; style?: CSSProperties }

/** What a ref to `<EmbeddedBuilder>` exposes. */
export interface EmbeddedBuilderHandle {
  navigate(path: string): void
  setToken(token: string): void
  /** The live embed, once mounted in the browser. */
  readonly embed: Embed | undefined
}

/**
 * The embedded platform, signed in with `token` (or `getToken` / `tokenUrl`). Every option of
 * `configure()` is a prop, every event an `on…` prop. On the server it renders an empty placeholder
 * `<div data-sso-embed>`; the iframe is mounted in the browser.
 *
 * ```tsx
 * <EmbeddedBuilder instanceUrl="https://platform.example.com/embed" token={jwt} onReady={({ user }) => …} />
 * ```
 */
export const EmbeddedBuilder = forwardRef<EmbeddedBuilderHandle, EmbeddedBuilderProps>(function EmbeddedBuilder({ className, style, ...options }, forwarded) {
  const { ref, embed } = useEmbed(options)
  useImperativeHandle(
    forwarded,
    () => ({
      navigate: (path) => embed?.navigate(path),
      setToken: (token) => embed?.setToken(token),
      embed,
    }),
    [embed],
  )
  return createElement('div', { ref, className, style, 'data-sso-embed': '' })
})
