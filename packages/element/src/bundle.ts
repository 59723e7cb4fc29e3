// The script-tag bundle (`sso-embed.js`, IIFE): everything in one file, for pages with nothing else —
// Webflow, Figma Sites, plain HTML. The one entry that acts on load: it registers <sso-embed> and
// exposes `window.SsoEmbed`.
import { configure, SsoEmbedError } from '@sso-embed/core'
import { defineSsoEmbed, SsoEmbedElement } from './element'

defineSsoEmbed()

export { configure, SsoEmbedElement, SsoEmbedError }
