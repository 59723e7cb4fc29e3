// The default loading and error views, loaded on demand (`import('./view')`), so pages that opt out —
// or bundlers that split — do not ship them eagerly. No inline style and no <style> element: the styles
// are one constructable stylesheet adopted by a shadow root, which a strict `style-src 'self'` allows.
import { messagesFor, textFor } from './messages'
import { canRetry } from './retry'

const CSS = `:host{display:block}
.box{box-sizing:border-box;height:100%;min-height:inherit;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:12px;
padding:16px;text-align:center;font:var(--sso-embed-font,15px/1.5 system-ui,sans-serif);color:var(--sso-embed-color,#0f172a);
background:var(--sso-embed-background,#f8fafc);border-radius:var(--sso-embed-radius,10px)}
.spinner{width:28px;height:28px;border-radius:50%;border:3px solid var(--sso-embed-track,#cbd5e1);border-top-color:var(--sso-embed-accent,#2563eb);
animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){.spinner{animation:none;border-top-color:var(--sso-embed-track,#cbd5e1);opacity:.6}}
p{margin:0;max-width:32rem}.code{font-size:.8em;color:var(--sso-embed-muted,#64748b)}
button{font:inherit;padding:8px 18px;border:0;border-radius:var(--sso-embed-radius,10px);cursor:pointer;
background:var(--sso-embed-accent,#2563eb);color:var(--sso-embed-accent-text,#fff)}
button:focus-visible{outline:3px solid var(--sso-embed-focus,#f59e0b);outline-offset:2px}`

let sheet: CSSStyleSheet | undefined

export type ViewState = { kind: 'loading' } | { kind: 'error'; code: string; retry: () => void }

export interface ViewOptions {
  getToken?: unknown
  tokenUrl?: string | undefined
  locale?: string | undefined
  messages?: Record<string, string> | undefined
  minHeight: number
}

/**
 * One element in `container`, before the iframe, that shows a state over the embed's box while the
 * iframe is hidden (still in the document, so it keeps loading). `hide()` shows the iframe again.
 */
export function createView(container: Element) {
  const host = document.createElement('div')
  host.setAttribute('data-sso-embed-state', '')
  const root = host.attachShadow({ mode: 'open' })
  if ('adoptedStyleSheets' in root) {
    sheet ??= new CSSStyleSheet()
    if (!sheet.cssRules.length) sheet.replaceSync(CSS)
    root.adoptedStyleSheets = [sheet]
  }
  let hidden: HTMLIFrameElement | undefined
  const showFrame = () => {
    hidden?.style.removeProperty('visibility')
    hidden?.style.removeProperty('position')
    hidden = undefined
  }
  return {
    show(state: ViewState, options: ViewOptions, iframe: HTMLIFrameElement | undefined) {
      const messages = messagesFor(options.locale, options.messages)
      const box = document.createElement('div')
      box.className = 'box'
      box.setAttribute('part', `state ${state.kind}`)
      if (state.kind === 'loading') {
        box.setAttribute('role', 'status')
        box.setAttribute('aria-busy', 'true')
        const spinner = document.createElement('div')
        spinner.className = 'spinner'
        spinner.setAttribute('aria-hidden', 'true')
        const label = document.createElement('p')
        label.textContent = messages.loading
        box.append(spinner, label)
      } else {
        box.setAttribute('role', 'alert')
        const text = document.createElement('p')
        text.setAttribute('part', 'message')
        text.textContent = textFor(messages, state.code)
        const code = document.createElement('p')
        code.className = 'code'
        code.textContent = state.code
        box.append(text, code)
        if (canRetry(state.code, !!(options.getToken || options.tokenUrl))) {
          const button = document.createElement('button')
          button.type = 'button'
          button.setAttribute('part', 'retry')
          button.textContent = messages.retry
          button.onclick = state.retry
          box.append(button)
        }
      }
      root.replaceChildren(box)
      host.dataset['ssoEmbedState'] = state.kind
      // sized like the embed: its current height, at least minHeight
      host.style.minHeight = `${Math.max(options.minHeight, iframe?.offsetHeight ?? 0)}px`
      if (!host.isConnected) container.prepend(host)
      if (iframe && iframe !== hidden) {
        showFrame()
        iframe.style.visibility = 'hidden'
        iframe.style.position = 'absolute'
        hidden = iframe
      }
    },
    hide() {
      host.remove()
      showFrame()
    },
  }
}

export type View = ReturnType<typeof createView>
