import { deferred, SsoEmbedError, type StorageAccessReport, type StoragePolicy } from '@sso-embed/protocol'
import { detectStorage } from './detect'
import type { DenialReason, StorageAccessSettings } from './require'

/** The `STORAGE_ACCESS_DENIED` message for each reason: what happened, and what the user can do. */
const DENIED: Record<DenialReason, string> = {
  unanswered: 'Storage access was not granted: the browser did not answer requestStorageAccess() in time (nobody answered its prompt). The user can try again.',
  refused:
    "The browser refused storage access, also after a visit to the platform's own site: its settings block this site's cookies in embedded pages. The user can allow them in the browser's settings, or open the platform in its own tab.",
  ineffective:
    "The browser granted storage access but still blocks the platform's cookies in embedded pages (its cookie settings): this platform needs them. The user can allow third-party cookies in the browser's settings, or open the platform in its own tab.",
}

export interface StoragePolicyOptions {
  /** The platform's own policy; when absent, the host's (from its welcome), else `auto`. */
  own: StoragePolicy | undefined
  settings: StorageAccessSettings | undefined
  /** The `require` flow's popup page when the settings name none. */
  popupUrl: string | undefined
  report(report: StorageAccessReport): void
  /** Access granted on a later try, after sign-in gave up: sign in again. */
  onLateGrant(): void
}

/**
 * The frame's storage: measured at once, reported when known; `gate()` is what a sign-in waits for.
 * With `auto` it waits for nothing (the exchange never waits for the probes); with `require` it runs
 * the interstitial flow (loaded on demand) until unpartitioned cookies work, else `STORAGE_ACCESS_DENIED`.
 */
export function createStoragePolicy(options: StoragePolicyOptions) {
  const policy = deferred<StoragePolicy>()
  if (options.own) policy.resolve(options.own)
  let measured: ReturnType<typeof detectStorage> | undefined
  const measure = () => (measured ??= detectStorage())
  const flow = new AbortController()
  let gate: Promise<void> | undefined

  const runRequire = async (): Promise<void> => {
    let found = await measure()
    if (found.status !== 'unpartitioned') {
      const { requireForConnection } = await import('./require')
      let reason: DenialReason = 'unanswered'
      const granted = await requireForConnection(
        options.settings,
        options.popupUrl,
        (status, why) => options.report({ ...found, status, ...(why && { reason: why }) }),
        flow.signal,
        () => {
          gate = Promise.resolve()
          void detectStorage().then(options.report).then(options.onLateGrant)
        },
        {
          // a grant counts only when the first-party cookies then really work (WebKit without ITP grants and keeps them blocked)
          verify: async () => (await detectStorage()).status === 'unpartitioned',
          onDenied: (why) => void (reason = why),
        },
      )
      if (!granted) throw new SsoEmbedError('STORAGE_ACCESS_DENIED', DENIED[reason])
      found = await detectStorage()
    }
    options.report(found)
  }

  return {
    /** Starts measuring (the probes write cookies: only once the page knows it is embedded). */
    measure,
    /** The host's policy from its welcome (the platform's own wins). */
    hostAsks(host: StoragePolicy | undefined) {
      policy.resolve(options.own ?? host ?? 'auto')
      void policy.promise.then((chosen) => {
        if (chosen === 'auto') void measure().then(options.report)
      })
    },
    /** What a sign-in waits for: nothing with `auto`, the `require` flow otherwise. */
    gate(): Promise<void> {
      return (gate ??= policy.promise.then((chosen) => (chosen === 'require' ? runRequire() : undefined)))
    },
    /** Removes the interstitial and stops watching the popup. */
    destroy: () => flow.abort(),
  }
}
