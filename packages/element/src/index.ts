/**
 * @packageDocumentation
 * @module @sso-embed/element
 */
export { SsoEmbedElement, defineSsoEmbed } from './element'
export { SsoEmbedError, type AuthInfo, type Embed, type EmbedOptions, type ErrorCode, type StorageAccessReport } from '@sso-embed/core'
