/** Texts of the storage-access interstitial; `{app}` is replaced by the platform's name. */
export interface InterstitialText {
  title: string
  /** Shown first, above the "Continue" button. */
  prompt: string
  continue: string
  /** Shown when the browser said no (or never answered): offers a window on the platform's own site. */
  popup: string
  openPopup: string
  /** Shown while that window is open, then with the retry button once it is closed. */
  waiting: string
  retry: string
  /** Shown when access stays denied. */
  denied: string
  /** Shown when the browser grants access but keeps the cookies blocked (its settings block them). */
  blocked: string
}

export const defaultText: InterstitialText = {
  title: 'Continue to {app}',
  prompt: '{app} needs your permission to use its cookies inside this page.',
  continue: 'Continue',
  popup: 'Your browser asks you to open {app} once in its own window before it allows this.',
  openPopup: 'Open {app}',
  waiting: 'Finish in the {app} window, then come back here.',
  retry: 'Try again',
  denied: '{app} cannot use its cookies in this page: your browser blocks them.',
  blocked:
    "{app} cannot use its cookies in this page: your browser's settings block cookies of embedded sites. Allow them in the settings, or open {app} in its own tab.",
}

const STYLE = `.sso-embed-interstitial{position:fixed;inset:0;z-index:2147483647;display:grid;place-items:center;padding:16px;
background:var(--sso-embed-backdrop,rgba(15,23,42,.55));font:var(--sso-embed-font,15px/1.5 system-ui,sans-serif)}
.sso-embed-interstitial>div{max-width:26rem;padding:24px;border-radius:var(--sso-embed-radius,10px);
background:var(--sso-embed-background,#fff);color:var(--sso-embed-color,#0f172a);box-shadow:0 10px 30px rgba(0,0,0,.25)}
.sso-embed-interstitial h2{margin:0 0 8px;font-size:1.15em}.sso-embed-interstitial p{margin:0 0 16px}
.sso-embed-interstitial button{font:inherit;padding:8px 18px;border:0;border-radius:var(--sso-embed-radius,10px);cursor:pointer;
background:var(--sso-embed-accent,#2563eb);color:var(--sso-embed-accent-text,#fff)}
.sso-embed-interstitial button:focus-visible{outline:3px solid var(--sso-embed-focus,#f59e0b);outline-offset:2px}
.sso-embed-interstitial button[disabled]{opacity:.6;cursor:progress}`

/** The interstitial: an accessible modal dialog with a title, a live message and one button. */
export interface Interstitial {
  /** Shows `message` and a button labelled `label` (none when `label` is empty) that runs `onClick`. */
  show(message: string, label: string, onClick?: () => void): void
  /** Disables the button while the browser answers. */
  busy(): void
  remove(): void
}

/**
 * Mounts the interstitial in this document. Theme it with CSS custom properties on `:root`
 * (`--sso-embed-accent`, `--sso-embed-accent-text`, `--sso-embed-background`, `--sso-embed-color`,
 * `--sso-embed-backdrop`, `--sso-embed-font`, `--sso-embed-radius`, `--sso-embed-focus`) or `className`.
 * Works under a strict CSP (`style-src 'self'`): no inline style, no `<style>` where the browser has
 * constructable stylesheets; elsewhere the `<style>` carries `nonce`.
 */
export function mountInterstitial(title: string, className = '', nonce?: string): Interstitial {
  const root = document.createElement('div')
  root.className = `sso-embed-interstitial ${className}`.trim()
  root.setAttribute('role', 'dialog')
  root.setAttribute('aria-modal', 'true')
  root.setAttribute('aria-labelledby', 'sso-embed-title')
  root.setAttribute('aria-describedby', 'sso-embed-message')
  const [box, heading, message, button] = ['div', 'h2', 'p', 'button'].map((tag) => document.createElement(tag)) as [
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLButtonElement,
  ]
  heading.id = 'sso-embed-title'
  message.id = 'sso-embed-message'
  message.setAttribute('aria-live', 'polite')
  button.type = 'button'
  box.append(heading, message, button)
  root.append(box)
  heading.textContent = title
  const removeStyle = adoptStyle(nonce)
  document.body.append(root)
  return {
    show(text, label, onClick) {
      message.textContent = text
      button.textContent = label
      button.hidden = !label
      button.disabled = false
      button.onclick = onClick ? () => onClick() : null
      if (label) button.focus()
    },
    busy() {
      button.disabled = true
    },
    remove() {
      root.remove()
      removeStyle()
    },
  }
}

let sheet: CSSStyleSheet | undefined

/**
 * The interstitial's styles without anything a strict CSP blocks: a constructable stylesheet adopted by
 * the document (`style-src 'self'` allows it), else — a browser without them — a `<style>` carrying the
 * page's `nonce`. Returns the function that takes it away again.
 */
function adoptStyle(nonce: string | undefined): () => void {
  if ('adoptedStyleSheets' in document && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    sheet ??= new CSSStyleSheet()
    if (!sheet.cssRules.length) sheet.replaceSync(STYLE)
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
    return () => void (document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet))
  }
  const style = document.createElement('style')
  if (nonce) style.nonce = nonce
  style.textContent = STYLE
  document.head.append(style)
  return () => style.remove()
}
