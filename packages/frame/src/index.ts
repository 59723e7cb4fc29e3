/**
 * @packageDocumentation
 * @module @sso-embed/frame
 */
export { connectToHost, type ConnectToHostOptions, type HostConnection } from './connect'
export type { FrameStatus } from './machine'
export { exchangeWithEndpoint, type Exchange, type ExchangeResult } from './exchange'
export { takeTokenFromUrl } from './url-token'
export { detectStorage } from './storage/detect'
export type { InterstitialText } from './storage/interstitial'
export {
  SsoEmbedError,
  type ErrorCode,
  type AuthInfo,
  type DisplayOptions,
  type EmbedProject,
  type EmbedUser,
  type StorageAccessReport,
  type StorageAccessStep,
  type StoragePolicy,
  type StorageStatus,
  type PlatformContract,
  type ExchangeResponse,
  type SignInKind,
} from '@sso-embed/protocol'
