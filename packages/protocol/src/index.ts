/**
 * @packageDocumentation
 * @module @sso-embed/protocol
 */
export { ErrorCode, isErrorCode } from './codes'
export { SsoEmbedError, serializeError, deserializeError, type SerializedError } from './error'
export { ACCOUNT_PARAM, PROTOCOL_VERSION, SDK_VERSION, STORAGE_PARAM, TOKEN_PARAM } from './version'
export type {
  AuthInfo,
  DisplayOptions,
  EmbedProject,
  EmbedUser,
  FrameEvent,
  FrameMethods,
  FrameHello,
  HostWelcome,
  SignInKind,
  PlatformContract,
  UntypedPlatform,
  HostMethods,
  StorageStatus,
  StorageAccessStep,
  StorageDenialReason,
  StorageAccessReport,
  StoragePolicy,
  Transport,
} from './wire'
export { isExactOrigin } from './origin'
export { docsUrl, isRefusal, REFUSAL, type Refusal } from './refusal'
export { createLogger, deferred, exposeMethods, quietDeferred, readyPromise, type Logger } from './rpc'
export { openChannel, type Channel, type ChannelOptions, type Remote } from './channel'
export { ENDPOINTS, HOST_ORIGIN_HEADER, type ErrorBody, type ExchangeRequest, type ExchangeResponse } from './exchange'
