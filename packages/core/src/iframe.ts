import { TOKEN_PARAM } from '@sso-embed/protocol'
import type { IframeAttributes, ResolvedOptions } from './options'

/** The iframe URL: `instanceUrl` + `path`, carrying the token only for the `query` and `fragment` transports. */
export function frameUrl(options: ResolvedOptions, token?: string): string {
  const { transport } = options
  const url = new URL(options.instanceUrl.replace(/\/+$/, '') + options.path)
  if (token !== undefined && transport === 'query') url.searchParams.set(TOKEN_PARAM, token)
  if (token !== undefined && transport === 'fragment') {
    url.hash = `${url.hash.slice(1)}${url.hash.length > 1 ? '&' : ''}${TOKEN_PARAM}=${encodeURIComponent(token)}`
  }
  return url.href
}

/** Sets the user's iframe attributes (and a default `title`, which screen readers need). */
export function setAttributes(iframe: HTMLIFrameElement, attributes: IframeAttributes = {}): void {
  for (const [name, value] of Object.entries({ title: 'Embedded application', ...attributes })) {
    if (value !== undefined) iframe.setAttribute(name === 'className' ? 'class' : name.toLowerCase(), String(value))
  }
}

export function createIframe(src: string, options: ResolvedOptions): HTMLIFrameElement {
  const iframe = document.createElement('iframe')
  setAttributes(iframe, options.iframe)
  iframe.style.cssText = `display:block;width:100%;border:0;height:${options.minHeight}px`
  iframe.src = src
  return iframe
}
