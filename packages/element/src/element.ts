import { ReactiveElement, type PropertyDeclarations } from '@lit/reactive-element'
import { configure, SsoEmbedError, type Embed, type EmbedOptions } from '@sso-embed/core'
import { changedOptions, EMBED_EVENTS, followView, logUnheard, type EmbedView } from '@sso-embed/core/wrapper'

/** `auto-resize="false"` turns it off; the attribute present with any other value (or none) turns it on. */
const booleanAttribute = { fromAttribute: (value: string | null) => (value === null ? undefined : value !== 'false') }
const json = { fromAttribute: (value: string | null) => (value === null ? undefined : (JSON.parse(value) as unknown)) }

/**
 * `<sso-embed instance-url="…" token-url="/api/embed-token">`: the embedded platform as a custom
 * element (Lit's `ReactiveElement`, light DOM). Attributes: `instance-url`, `account`, `token`, `token-url`, `path`,
 * `transport`, `storage`, `auto-resize`, `min-height`, `timeout`, `debug`, `locale`, `theme`, `ui` (JSON);
 * the same as properties, plus `getToken` and `iframe`. Events (bubbling, composed): `sso-embed:ready`,
 * `sso-embed:authenticated`, `sso-embed:error`, `sso-embed:navigate`, `sso-embed:resize`,
 * `sso-embed:storageAccess`, `sso-embed:tokenExpired`, `sso-embed:sessionExpired`, `sso-embed:signedOut`,
 * with the payload in `detail`; the platform's own events through `element.embed.on('platform:<name>')`
 * and its commands through `element.send(name, payload)`. Removed from the page it destroys its embed; put back, it mounts a fresh one.
 * An `sso-embed:error` nobody handles — no listener calls `event.preventDefault()` — is also written to the
 * console once, with its docs link. Custom states: a child with `slot="loading"` replaces the loading view
 * (shown until signed in), a child with `slot="error"` the error view (shown when the embed failed, with
 * `data-code` set; a `[data-retry]` button inside it calls `retry()`).
 */
export class SsoEmbedElement extends ReactiveElement {
  static override properties: PropertyDeclarations = {
    instanceUrl: { attribute: 'instance-url' },
    account: {},
    token: {},
    tokenUrl: { attribute: 'token-url' },
    getToken: { attribute: false },
    path: {},
    transport: {},
    storage: {},
    autoResize: { attribute: 'auto-resize', converter: booleanAttribute },
    minHeight: { attribute: 'min-height', type: Number },
    timeout: { type: Number },
    debug: { converter: booleanAttribute },
    locale: {},
    theme: {},
    ui: { converter: json },
    iframe: { attribute: false },
  }

  declare instanceUrl: string | undefined
  declare token: string | undefined
  declare tokenUrl: string | undefined
  declare getToken: (() => Promise<string>) | undefined
  declare path: string | undefined
  declare transport: EmbedOptions['transport']
  declare storage: EmbedOptions['storage']
  declare autoResize: boolean | undefined
  declare minHeight: number | undefined
  declare timeout: number | undefined
  declare debug: boolean | undefined
  declare locale: string | undefined
  declare theme: EmbedOptions['theme']
  declare ui: EmbedOptions['ui']
  declare iframe: EmbedOptions['iframe']
  declare account: string | undefined

  #embed: Embed | undefined
  #applied: Partial<EmbedOptions> = {}

  /** The live embed, while the element is in the page. */
  get embed(): Embed | undefined {
    return this.#embed
  }

  navigate(path: string): void {
    this.#embed?.navigate(path)
  }

  setToken(token: string): void {
    this.#embed?.setToken(token)
  }

  /** Signs in again with a fresh token from `token-url` / `getToken`, in a new iframe. */
  retry(): void {
    this.#embed?.retry()
    this.#show({ kind: 'loading' })
  }

  #slot(name: string): HTMLElement | null {
    return this.querySelector(`:scope > [slot="${name}"]`)
  }

  /** Shows the custom slot for `view` (the iframe stays mounted, hidden, meanwhile). */
  #show(view: EmbedView): void {
    const loading = this.#slot('loading')
    const failed = this.#slot('error')
    if (loading) loading.hidden = view.kind !== 'loading'
    if (failed) {
      failed.hidden = view.kind !== 'error'
      if (view.kind === 'error') failed.dataset['code'] = view.error.code
    }
    const custom = (view.kind === 'loading' && loading) || (view.kind === 'error' && failed)
    this.#embed?.iframe?.style.setProperty('visibility', custom ? 'hidden' : 'visible')
  }

  /** Runs one of the platform's commands (see `embed.send`). */
  send(name: string, payload: unknown): Promise<unknown> {
    return this.#embed
      ? this.#embed.send(name, payload)
      : Promise.reject(new SsoEmbedError('DESTROYED', 'The element holds no embed (not connected, or no instance-url)'))
  }

  // light DOM: the iframe is a plain child of the element (no shadow root to style through)
  protected override createRenderRoot(): HTMLElement {
    return this
  }

  #options(): Partial<EmbedOptions> {
    const options: Record<string, unknown> = {}
    for (const key of Object.keys(SsoEmbedElement.properties)) {
      const value = (this as unknown as Record<string, unknown>)[key]
      if (value !== undefined) options[key] = value
    }
    return options
  }

  #mount(): void {
    this.#applied = this.#options()
    if (!this.#applied.instanceUrl) return // not enough to mount yet; a later attribute will do it
    const loading = this.#slot('loading')
    const failed = this.#slot('error')
    const embed = configure({ ...this.#applied, container: this, ...(loading && { loading: false }), ...(failed && { errorView: false }) } as EmbedOptions)
    for (const name of EMBED_EVENTS) {
      embed.on(name, (detail) => {
        const event = new CustomEvent(`sso-embed:${name}`, { detail, bubbles: true, composed: true, cancelable: name === 'error' })
        if (this.dispatchEvent(event) && name === 'error') logUnheard(detail as SsoEmbedError)
      })
    }
    this.#embed = embed
    if (failed) failed.onclick = (e) => void ((e.target as Element).closest('[data-retry]') && this.retry())
    if (loading || failed) followView(embed, (view) => this.#show(view))
  }

  protected override updated(): void {
    if (!this.isConnected) return
    if (!this.#embed) {
      this.#mount()
      return
    }
    const next = this.#options()
    const { remount, changes } = changedOptions(this.#applied, next)
    if (remount) {
      this.#embed.destroy()
      this.#mount()
      return
    }
    this.#applied = next
    if (changes) this.#embed.update(changes)
  }

  override connectedCallback(): void {
    super.connectedCallback()
    if (this.hasUpdated && !this.#embed) this.#mount() // put back in the page: a fresh embed
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.#embed?.destroy()
    this.#embed = undefined
  }
}

/** Registers the element as `<sso-embed>` (or `tagName`); a second call is a no-op. */
export function defineSsoEmbed(tagName = 'sso-embed'): void {
  if (typeof customElements === 'undefined') return // during SSR: nothing to register
  if (!customElements.get(tagName)) customElements.define(tagName, class extends SsoEmbedElement {})
}

declare global {
  interface HTMLElementTagNameMap {
    'sso-embed': SsoEmbedElement
  }
}
