import { readyPromise, serializeError, SsoEmbedError, type AuthInfo, type FrameEvent, type Logger, type SignInKind } from '@sso-embed/protocol'
import type { ConnectToHostOptions } from './options'

/** A failure the host already knows about (it could not give a token, it refused the greeting). */
export const fromHost = (error: unknown): boolean => !!(error as { fromHost?: boolean }).fromHost

/**
 * How the frame's sign-ins end, told to everyone who listens: the host first (a platform hook that
 * throws changes nothing the host knows), then `ready` and the platform's `onAuthenticated` / `onError`.
 */
export function createOutcome(
  options: Pick<ConnectToHostOptions, 'onAuthenticated' | 'onError'>,
  { report, signedInOnce, log }: { report(event: FrameEvent): void; signedInOnce(): boolean; log: Logger },
) {
  const ready = readyPromise<AuthInfo>()
  return {
    /** `ready`: a sign-in that follows a failure (Try again after a storage-access denial) makes it a new, resolved promise. */
    get ready() {
      return ready.promise
    },
    succeeded(auth: AuthInfo, how: SignInKind) {
      log?.('signed in', how, auth)
      report({ type: 'authenticated', how, ...auth })
      ready.resolve(auth)
      try {
        options.onAuthenticated?.(auth)
      } catch (error) {
        reportError(error)
      }
    },
    /** A failure: `ready` rejects (before the first sign-in), `onError` hears it (after), and the host is told unless it knows. */
    failed(error: SsoEmbedError, tellHost = !fromHost(error)) {
      log?.('failed', error.code, error.message)
      if (signedInOnce()) options.onError?.(error)
      else ready.reject(error)
      if (tellHost) report({ type: 'error', error: serializeError(error, 'EXCHANGE_FAILED') })
    },
    destroyed: () => ready.reject(new SsoEmbedError('DESTROYED', 'Destroyed')),
  }
}
