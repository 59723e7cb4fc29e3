import { ACCOUNT_PARAM, STORAGE_PARAM, TOKEN_PARAM } from '@sso-embed/protocol'
import type { IframeAttributes, ResolvedOptions } from './options'

/** The iframe URL: `instanceUrl` + `path` (+ `?account=`, `?storage=require`), carrying the token only for the `query` and `fragment` transports. */
export function frameUrl(options: ResolvedOptions, token?: string): string {
  const { transport } = options
  const url = new URL(options.instanceUrl.replace(/\/+$/, '') + options.path)
  if (options.account !== undefined) url.searchParams.set(ACCOUNT_PARAM, options.account)
  // only this option says it: a `path` that carries one of its own (a forwarded deep link) does not
  url.searchParams.delete(STORAGE_PARAM)
  if (options.storage === 'require') url.searchParams.set(STORAGE_PARAM, 'require')
  if (token !== undefined && transport === 'query') url.searchParams.set(TOKEN_PARAM, token)
  if (token !== undefined && transport === 'fragment') {
    url.hash = `${url.hash.slice(1)}${url.hash.length > 1 ? '&' : ''}${TOKEN_PARAM}=${encodeURIComponent(token)}`
  }
  return url.href
}

/** Sandbox tokens the embed cannot work without: scripts, its own origin (cookies, penpal), forms, the storage-access flow and its popup. */
const SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-storage-access-by-user-activation'

/** `value` plus the space- or `;`-separated tokens of `needed` it lacks. */
const withTokens = (value: string, needed: string, separator: string) =>
  [value.trim(), ...needed.split(' ').filter((token) => !value.split(/[\s;]+/).includes(token))].filter(Boolean).join(separator)

/**
 * Sets the user's iframe attributes (and a default `title`, which screen readers need). `allow` always
 * includes `storage-access`; a `sandbox`, when one is set, always includes the embed's tokens.
 */
export function setAttributes(iframe: HTMLIFrameElement, attributes: IframeAttributes = {}): void {
  const { allow = '', sandbox } = attributes
  const all = { title: 'Embedded application', ...attributes, allow: withTokens(allow, 'storage-access', '; ') }
  if (sandbox !== undefined) all.sandbox = withTokens(sandbox, SANDBOX, ' ')
  for (const [name, value] of Object.entries(all)) {
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
