'use client'
import type { Embed, SsoEmbedError } from '@sso-embed/core'
import { canRetry, followView, type EmbedView } from '@sso-embed/core/wrapper'
import { createElement, forwardRef, Fragment, useEffect, useImperativeHandle, useState, type CSSProperties, type ReactNode } from 'react'
import { useEmbed, type UseEmbedOptions } from './use-embed'

/** What `renderError` receives: the failure, and `retry` when a retry can help (see `canRetry`). */
export interface ErrorSlotProps {
  error: SsoEmbedError
  retry: (() => void) | undefined
}

export type EmbeddedBuilderProps = UseEmbedOptions & {
  className?: string
  style?: CSSProperties
  /** Your own loading UI, shown (instead of the default view) until signed in. */
  renderLoading?: () => ReactNode
  /** Your own error UI, shown (instead of the default view) when the embed failed. */
  renderError?: (props: ErrorSlotProps) => ReactNode
}

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
export const EmbeddedBuilder = forwardRef<EmbeddedBuilderHandle, EmbeddedBuilderProps>(function EmbeddedBuilder(
  { className, style, renderLoading, renderError, ...options },
  forwarded,
) {
  const { ref, embed } = useEmbed({ ...options, ...(renderLoading && { loading: false }), ...(renderError && { errorView: false }) })
  const [view, setView] = useState<EmbedView>({ kind: 'loading' })
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow again only when a render prop appears or goes, not on every new function
  useEffect(() => (embed && (renderLoading || renderError) ? followView(embed, setView) : undefined), [embed, !renderLoading, !renderError])
  useImperativeHandle(
    forwarded,
    () => ({
      navigate: (path) => embed?.navigate(path),
      setToken: (token) => embed?.setToken(token),
      embed,
    }),
    [embed],
  )
  const fetches = !!(options.getToken || options.tokenUrl)
  const custom =
    view.kind === 'loading' && renderLoading
      ? renderLoading()
      : view.kind === 'error' && renderError
        ? renderError({
            error: view.error,
            retry:
              embed && canRetry(view.error.code, fetches)
                ? () => {
                    embed.retry()
                    setView({ kind: 'loading' })
                  }
                : undefined,
          })
        : undefined
  // while your own view shows, the iframe stays mounted (it keeps signing in) but hidden
  const box = createElement('div', {
    ref,
    className,
    style: custom === undefined ? style : { ...style, visibility: 'hidden', position: 'absolute' },
    'data-sso-embed': '',
  })
  // one shape whatever shows, so React never replaces the element that holds the iframe
  return createElement(Fragment, null, custom ?? null, box)
})
