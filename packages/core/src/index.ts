/**
 * @packageDocumentation
 * @module @sso-embed/core
 */
export { configure, type Embed, type EmbedState, type UpdatableOptions } from './configure'
export type { EmbedOptions, IframeAttributes } from './options'
export type { AllEvents, EmbedEvents, EmbedEventName, Listener, PlatformEvents } from './events'
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
  type PlatformContract,
  type SignInKind,
} from '@sso-embed/protocol'
