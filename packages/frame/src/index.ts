export { connectToHost, type ConnectToHostOptions, type HostConnection } from './connect'
export { exchangeWithEndpoint, type Exchange, type ExchangeResult } from './exchange'
export { takeTokenFromUrl } from './url-token'
export {
  SsoEmbedError,
  type ErrorCode,
  type AuthInfo,
  type DisplayOptions,
  type EmbedProject,
  type EmbedUser,
} from '@sso-embed/protocol'
