/**
 * @packageDocumentation
 * @module @sso-embed/core
 */
export { configure, type Embed, type EmbedState, type UpdatableOptions } from './configure'
export type { EmbedOptions, IframeAttributes } from './options'
export type { EmbedEvents, EmbedEventName, Listener } from './events'
export {
  SsoEmbedError,
  type ErrorCode,
  type AuthInfo,
  type EmbedProject,
  type EmbedUser,
  type StorageStatus,
  type StorageAccessReport,
  type StorageAccessStep,
  type StoragePolicy,
  type Transport,
} from '@sso-embed/protocol'
