// type imports only: a runtime import from the SDK would make bundlers split it into a chunk of its own
import type { StorageAccessStep, StorageDenialReason } from '@sso-embed/protocol'
import { defaultText, mountInterstitial, type InterstitialText } from './interstitial'

/** Why access stays denied (see {@link StorageDenialReason}). */
export type DenialReason = StorageDenialReason

/**
 * `document.requestStorageAccess()`, settled within `timeout` ms (it can stay pending forever). A grant
 * that arrives after the timeout still counts: `onLateGrant` runs.
 */
function requestAccess(timeout: number, onLateGrant?: () => void): Promise<'granted' | 'refused' | 'unanswered'> {
  if (typeof document.requestStorageAccess !== 'function') return Promise.resolve('refused')
  return new Promise((resolve) => {
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      resolve('unanswered')
    }, timeout)
    document
      .requestStorageAccess()
      .then(
        () => (timedOut ? onLateGrant?.() : resolve('granted')),
        () => resolve('refused'),
      )
      .finally(() => clearTimeout(timer))
  })
}

export interface RequireAccessOptions {
  /** The platform's name in the texts. */
  appName: string
  text?: Partial<InterstitialText> | undefined
  className?: string | undefined
  /** The page's CSP nonce, for browsers without constructable stylesheets (the interstitial's one `<style>`). */
  nonce?: string | undefined
  /** How long to wait for the browser's answer to `requestStorageAccess()`. */
  timeout: number
  /** A page on the platform's own site, opened as a popup when the browser refuses (Safari wants a first-party visit). */
  popupUrl: string
  /** Each step; a denial with its reason. */
  report: (step: StorageAccessStep, reason?: DenialReason) => void
  /**
   * Whether the platform's first-party cookies really work now (default: the browser's word is taken).
   * A grant that leaves them blocked is a denial: another prompt or the popup cannot change it.
   */
  verify?: (() => Promise<boolean>) | undefined
  /** Called once the flow settles denied (and again after each failed retry), with the reason. */
  onDenied?: ((reason: DenialReason) => void) | undefined
  /** Aborting removes the interstitial and stops watching the popup. */
  signal?: AbortSignal | undefined
}

/**
 * The `storage: 'require'` flow: a "Continue" interstitial; `requestStorageAccess()` on the click; when
 * the browser refuses or never answers, a popup to the platform's own site and a retry. Resolves
 * `true` once access is granted; `false` when it stays denied (the interstitial then keeps offering a
 * retry, and a later grant calls `onLateGrant`).
 */
export function requireStorageAccess(options: RequireAccessOptions, onLateGrant: () => void): Promise<boolean> {
  const text = { ...defaultText, ...options.text }
  const t = (key: keyof InterstitialText) => text[key].replaceAll('{app}', options.appName)
  const ui = mountInterstitial(t('title'), options.className, options.nonce)
  let settled = false
  let poll: ReturnType<typeof setInterval> | undefined
  return new Promise((resolve) => {
    options.signal?.addEventListener('abort', () => {
      clearInterval(poll)
      ui.remove()
      resolve(false)
    })
    let granted = false
    const grant = () => {
      if (granted) return
      granted = true
      clearInterval(poll)
      options.report('granted')
      ui.remove()
      if (settled) onLateGrant()
      settled = true
      resolve(true)
    }
    const works = () => options.verify?.() ?? Promise.resolve(true)
    const ask = async (final: boolean) => {
      ui.busy()
      // a browser that answers after the timeout (a slow user) still grants: `grant` runs then, if the cookies work
      const answer = await requestAccess(options.timeout, () => void works().then((ok) => ok && grant()))
      if (answer === 'granted' && (await works())) return grant()
      if (granted) return
      // a grant without working cookies is the browser's settings: a first-party visit cannot change them
      const reason: DenialReason = answer === 'granted' ? 'ineffective' : answer
      options.report('denied', reason)
      if (final || reason === 'ineffective') {
        ui.show(t(reason === 'ineffective' ? 'blocked' : 'denied'), t('retry'), () => void ask(true))
        settled = true
        options.onDenied?.(reason)
        return resolve(false)
      }
      ui.show(t('popup'), t('openPopup'), openPopup)
    }
    const openPopup = () => {
      const popup = window.open(options.popupUrl, 'sso-embed-storage-access', 'popup,width=480,height=600')
      if (!popup) return ui.show(t('popup'), t('openPopup'), openPopup) // blocked: the user can click again
      options.report('popup')
      ui.show(t('waiting'), '')
      poll = setInterval(() => {
        if (!popup.closed) return
        clearInterval(poll)
        ui.show(t('waiting'), t('retry'), () => void ask(true))
      }, 300)
    }
    options.report('prompt')
    ui.show(t('prompt'), t('continue'), () => void ask(false))
  })
}

/** The `storageAccess` settings of `connectToHost()`. */
export interface StorageAccessSettings {
  appName?: string
  text?: Partial<InterstitialText>
  className?: string
  /** A CSP nonce for the interstitial's `<style>` where constructable stylesheets are missing (see docs/csp.md). */
  nonce?: string
  timeout?: number
  popupUrl?: string
}

/**
 * `connectToHost()`'s side of the flow, loaded only for `storage: 'require'` when access is missing:
 * waits for the page's body and runs {@link requireStorageAccess} with the settings' defaults.
 */
export async function requireForConnection(
  settings: StorageAccessSettings = {},
  defaultPopupUrl: string | undefined,
  report: RequireAccessOptions['report'],
  signal: AbortSignal,
  onLateGrant: () => void,
  check: Pick<RequireAccessOptions, 'verify' | 'onDenied'> = {},
): Promise<boolean> {
  if (document.readyState === 'loading') await new Promise((resolve) => addEventListener('DOMContentLoaded', resolve, { once: true }))
  return requireStorageAccess(
    {
      appName: settings.appName ?? location.hostname,
      text: settings.text,
      className: settings.className,
      nonce: settings.nonce,
      timeout: settings.timeout ?? 5000,
      popupUrl: settings.popupUrl ?? defaultPopupUrl ?? location.origin,
      report,
      signal,
      ...check,
    },
    onLateGrant,
  )
}
