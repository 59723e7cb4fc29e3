/**
 * @packageDocumentation
 * @module @sso-embed/react
 */
'use client'
export { EmbeddedBuilder, type EmbeddedBuilderHandle, type EmbeddedBuilderProps, type ErrorSlotProps } from './embedded-builder'
export { useEmbed, type EmbedHandlers, type UseEmbedOptions } from './use-embed'
export { SsoEmbedError, type AuthInfo, type Embed, type EmbedOptions, type ErrorCode, type StorageAccessReport } from '@sso-embed/core'
