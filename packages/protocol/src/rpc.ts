import type { ErrorCode } from './codes'
import { serializeError } from './error'

/** A debug logger; `undefined` when debug logging is off. */
export type Logger = ((...args: unknown[]) => void) | undefined

/** `console.debug` with a prefix when `enabled`, else `undefined` (callers use `log?.(…)`). */
export function createLogger(enabled: boolean | undefined, side: string): Logger {
  return enabled ? (...args) => console.debug(`[sso-embed ${side}]`, ...args) : undefined
}

type Methods = Record<string, (...args: never[]) => unknown>

/**
 * Wraps methods exposed over penpal so a thrown error crosses as a plain {@link SerializedError}
 * (penpal would send an `Error` without its `code`); the caller rebuilds it with `deserializeError`.
 */
export function exposeMethods<T extends Methods>(methods: T, fallback: ErrorCode): T {
  const wrapped: Methods = {}
  for (const [name, fn] of Object.entries(methods)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args)
      } catch (error) {
        throw serializeError(error, fallback)
      }
    }
  }
  return wrapped as T
}

/** A promise with its settle functions (like `Promise.withResolvers`, which Node 20 and older Safari lack). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A {@link deferred} whose rejection needs no handler: the failure is also reported another way. */
export function quietDeferred<T>(): ReturnType<typeof deferred<T>> {
  const settled = deferred<T>()
  settled.promise.catch(() => {})
  return settled
}

/**
 * The `ready` of an embed, on either side: it resolves with the first sign-in and rejects with a failure
 * that comes first; a sign-in after that failure (the frame's *Try again*) makes it a new, resolved
 * promise — one read earlier stays rejected. Settling it again otherwise changes nothing.
 */
export function readyPromise<T>() {
  let settled = quietDeferred<T>()
  let state: 'pending' | 'resolved' | 'rejected' = 'pending'
  return {
    get promise(): Promise<T> {
      return settled.promise
    },
    resolve(value: T): void {
      if (state === 'rejected') settled = quietDeferred()
      if (state !== 'resolved') settled.resolve(value)
      state = 'resolved'
    },
    reject(reason: unknown): void {
      if (state !== 'pending') return
      state = 'rejected'
      settled.reject(reason)
    },
  }
}
