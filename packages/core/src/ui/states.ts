import type { SsoEmbedError } from '@sso-embed/protocol'
import type { ResolvedOptions } from '../options'
import type { View, ViewState } from './view'

/**
 * What the container shows around the iframe: `loading` while mounting and signing in, `error` for a
 * failure that ended the embed (with *Retry* where `canRetry` says it helps), nothing once signed in. The views
 * load on demand (`./view`); `loading: false` / `errorView: false` leave the container to the page.
 */
export function createStates(container: Element, options: () => ResolvedOptions, iframe: () => HTMLIFrameElement | undefined, retry: () => void) {
  let wanted: ViewState | undefined
  let view: View | undefined
  let loading = false // the views' chunk was asked for
  let gone = false
  const render = () => {
    const o = options()
    const shown = wanted && (wanted.kind === 'loading' ? o.loading : o.errorView) !== false ? wanted : undefined
    if (gone || !(view || shown)) return
    if (view) return shown ? view.show(shown, o, iframe()) : view.hide()
    if (loading) return
    loading = true
    import('./view').then(
      ({ createView }) => {
        view = createView(container)
        render()
      },
      (error: unknown) => console.error('[sso-embed] the loading and error views failed to load', error),
    )
  }
  const set = (next: ViewState | undefined) => {
    wanted = next
    render()
  }
  return {
    loading: () => set({ kind: 'loading' }),
    error: (error: SsoEmbedError) => set({ kind: 'error', code: error.code, retry }),
    clear: () => set(undefined),
    /** The iframe was (re)mounted: the current view covers it. */
    mounted: render,
    destroy() {
      set(undefined)
      gone = true
    },
  }
}

export type States = ReturnType<typeof createStates>
