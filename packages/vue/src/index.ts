/**
 * @packageDocumentation
 * @module @sso-embed/vue
 */
import type { App, Plugin } from 'vue'
import { EmbeddedBuilder } from './embedded-builder'

export { EmbeddedBuilder, type EmbeddedBuilderExposed } from './embedded-builder'

/** `app.use(SsoEmbed)` registers `<EmbeddedBuilder>` globally. */
export const SsoEmbed: Plugin = {
  install(app: App) {
    app.component('EmbeddedBuilder', EmbeddedBuilder)
  },
}

export { SsoEmbedError, type AuthInfo, type Embed, type EmbedOptions, type ErrorCode, type StorageAccessReport } from '@sso-embed/core'
