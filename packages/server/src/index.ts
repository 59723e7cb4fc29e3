/**
 * @packageDocumentation
 * @module @sso-embed/server
 */
// @sso-embed/server — the token contract on the server: keys, signing, verification, claim profiles.
export { ALGORITHMS, isAlgorithm, type Algorithm } from './keys/algorithms'
export { readClaims, definedOnly, type Claims, type ClaimReader, type ClaimReaders } from './profiles/claims'
export { toSeconds, type Duration } from './duration'
export { EmbedTokenError, KeyRejectedError, type TokenErrorCode } from './errors'
export { generateSigningKey, type GeneratedKey } from './keys/generate'
export { inspectToken, type TokenInspection } from './token/inspect'
export type { TokenHeader } from './token/parse'
export { MIN_RSA_BITS, MIN_RSA_EXPONENT, MAX_RSA_EXPONENT } from './keys/policy'
export { hasRocaFingerprint } from './keys/roca'
export { importPrivateKey, type PrivateKeyInput, type SigningKey } from './keys/private-key'
export {
  defineProfile,
  type ClaimProfile,
  type Identity,
  type ProfileDefinition,
  type ProfileIdentity,
  type ProvisionResult,
  type ProvisionStep,
} from './profiles/profile'
export { profiles, getProfile, activepiecesV3, ACTIVEPIECES_ROLES, latenode, LATENODE_ROLES, raytha, raythaProfile } from './profiles/index'
export {
  importPublicKey,
  importPublicKeys,
  type ImportPublicKeyOptions,
  type JsonWebKeySet,
  type PublicKeyInput,
  type VerificationKey,
} from './keys/public-key'
export { createMemoryReplayStore, type ReplayEntry, type ReplayStore } from './token/replay'
export { signEmbedToken, type SignOptions } from './token/sign'
export { createVerifier, type KeyEntry, type Verifier, type VerifierOptions, type VerifiedToken, type VerifyContext } from './token/verify'
export {
  createSessions,
  verifySession,
  sessionToken,
  SessionError,
  SESSION_COOKIE,
  type Session,
  type SessionOptions,
  type SessionRefusal,
  type Sessions,
} from './http/sessions'
export { provision, provisionIn, landInProject, UserDeactivatedError } from './profiles/provision'
export type {
  Attributes,
  EmbedStore,
  SessionLookup,
  SessionStore,
  StoreTransaction,
  StoredMembership,
  StoredProject,
  StoredSession,
  StoredUser,
  UserWrite,
  ProjectWrite,
} from './store/types'
export { createMemoryStore } from './store/memory'
export { createSqlStore, fromPGlite, fromPgPool, migrate, type PGliteLike, type PgPoolLike, type SqlClient, type SqlQueryable } from './store/sql'
export { openStore, type OpenStoreOptions } from './store/open'
export { createEmbedHandler, RequestError, type EmbedHandlerOptions } from './http/handler'
export { frameAncestors, originsForAccount } from './http/frame-ancestors'
export {
  requestedStoragePolicy,
  storageAccessHeaders,
  storageAccessRetry,
  storageAccessStatus,
  varyOnStorageAccess,
  STORAGE_ACCESS_STATUS_HEADER,
  ACTIVATE_STORAGE_ACCESS_HEADER,
  type RequestHeaders,
  type StorageAccessStatus,
  type EmbedStoragePolicy,
} from './http/storage-access'
export type { ExchangeRequest, ExchangeResponse, ErrorBody } from '@sso-embed/protocol'
export type { ActivepiecesProjectAttributes } from './profiles/activepieces'
export { toNodeListener, type NodeListenerOptions } from './http/node'
export { ErrorCode, SsoEmbedError, ENDPOINTS, HOST_ORIGIN_HEADER } from '@sso-embed/protocol'
