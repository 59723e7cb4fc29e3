import { docsUrl, type SsoEmbedError } from '@sso-embed/protocol'

/** The one console error for a failure nobody listens to (a script-tag page): code, message and its docs anchor. */
export function logUnheard(error: SsoEmbedError): void {
  console.error(`[sso-embed] ${error.code}: ${error.message} — see ${docsUrl(error.code)}`)
}
