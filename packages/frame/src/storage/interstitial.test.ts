import { afterEach, describe, expect, test, vi } from 'vitest'
import { detectStorage } from './detect'
import { mountInterstitial } from './interstitial'

afterEach(() => document.body.replaceChildren())

describe('the storage-access interstitial', () => {
  test('is a labelled modal dialog whose button takes focus and runs its action once enabled', () => {
    const ui = mountInterstitial('Continue to Acme', 'acme-theme')
    const dialog = document.querySelector('[role="dialog"]')!
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    expect(dialog.classList.contains('acme-theme')).toBe(true)
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Continue to Acme')
    const click = vi.fn()
    ui.show('Acme needs your permission.', 'Continue', click)
    const button = dialog.querySelector('button')!
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)!.textContent).toBe('Acme needs your permission.')
    expect(document.activeElement).toBe(button)
    button.click()
    expect(click).toHaveBeenCalledOnce()
    ui.busy()
    expect(button.disabled).toBe(true)
    button.click()
    expect(click).toHaveBeenCalledOnce() // busy: a second click does nothing
    const retry = vi.fn()
    ui.show('Try again?', 'Try again', retry)
    expect([button.disabled, button.hidden, button.textContent]).toEqual([false, false, 'Try again'])
    button.click()
    expect(retry).toHaveBeenCalledOnce()
    expect(click).toHaveBeenCalledOnce()
    ui.show('Finish in the other window.', '')
    expect(button.hidden).toBe(true)
    ui.remove()
    expect(document.querySelector('[role="dialog"]')).toBeNull()
  })
})

describe('detectStorage', () => {
  test('a top-level document: first-party cookies and localStorage work; the probe cookies are removed again', async () => {
    expect(await detectStorage()).toEqual({ status: 'unpartitioned', hasStorageAccess: null, localStorage: true })
    expect(document.cookie).not.toContain('sso_embed_probe')
  })

  test('a cookie that reads back while hasStorageAccess() is false is partitioned (Firefox Total Cookie Protection)', async () => {
    document.hasStorageAccess = async () => false
    try {
      expect(await detectStorage()).toMatchObject({ status: 'partitioned', hasStorageAccess: false })
    } finally {
      delete (document as { hasStorageAccess?: unknown }).hasStorageAccess
    }
  })

  test('hasStorageAccess() is asked while the probe cookie is set (WebKit says false for a site without cookies): unpartitioned', async () => {
    document.hasStorageAccess = async () => document.cookie.includes('sso_embed_probe=')
    try {
      expect(await detectStorage()).toMatchObject({ status: 'unpartitioned', hasStorageAccess: true })
    } finally {
      delete (document as { hasStorageAccess?: unknown }).hasStorageAccess
    }
  })

  test('cookies dropped and localStorage throwing (a blocked third-party frame without CHIPS): cookieless', async () => {
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => '', set: () => {} })
    const storage = vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError')
    })
    try {
      expect(await detectStorage()).toEqual({ status: 'cookieless', hasStorageAccess: null, localStorage: false })
    } finally {
      delete (document as { cookie?: unknown }).cookie
      storage.mockRestore()
    }
  })
})

describe("the 'require' flow", () => {
  test('a grant the browser gives after the timeout still counts', async () => {
    const { requireStorageAccess } = await import('./require')
    const original = document.requestStorageAccess
    document.requestStorageAccess = () => new Promise((resolve) => setTimeout(resolve, 60))
    try {
      const steps: string[] = []
      const lateGrant = vi.fn()
      const outcome = requireStorageAccess(
        { appName: 'Acme', timeout: 10, popupUrl: 'https://platform.example/popup', report: (step, reason) => steps.push(reason ? `${step}:${reason}` : step) },
        lateGrant,
      )
      document.querySelector<HTMLButtonElement>('.sso-embed-interstitial button')!.click()
      expect(await outcome).toBe(true)
      expect(steps).toEqual(['prompt', 'denied:unanswered', 'granted'])
      expect(document.querySelector('.sso-embed-interstitial')).toBeNull()
      expect(lateGrant).not.toHaveBeenCalled() // the flow was still waiting: it resolves true itself
    } finally {
      document.requestStorageAccess = original
    }
  })

  test('a grant that leaves the cookies blocked (WebKit without ITP) is a denial, with its reason and no popup', async () => {
    const { requireStorageAccess } = await import('./require')
    const original = document.requestStorageAccess
    document.requestStorageAccess = () => Promise.resolve()
    try {
      const steps: string[] = []
      const onDenied = vi.fn()
      const outcome = requireStorageAccess(
        {
          appName: 'Acme',
          timeout: 50,
          popupUrl: 'https://platform.example/popup',
          report: (step, reason) => steps.push(reason ? `${step}:${reason}` : step),
          verify: async () => false,
          onDenied,
        },
        () => {},
      )
      document.querySelector<HTMLButtonElement>('.sso-embed-interstitial button')!.click()
      expect(await outcome).toBe(false)
      expect(steps).toEqual(['prompt', 'denied:ineffective'])
      expect(onDenied).toHaveBeenCalledWith('ineffective')
      expect(document.querySelector('.sso-embed-interstitial p')!.textContent).toContain("your browser's settings block cookies of embedded sites")
      expect(document.querySelector('.sso-embed-interstitial button')!.textContent).toBe('Try again')
    } finally {
      document.requestStorageAccess = original
      document.querySelector('.sso-embed-interstitial')?.remove()
    }
  })

  test('aborting (destroy) removes the interstitial', async () => {
    const { requireStorageAccess } = await import('./require')
    const flow = new AbortController()
    const outcome = requireStorageAccess(
      { appName: 'Acme', timeout: 10, popupUrl: 'https://platform.example/popup', report: () => {}, signal: flow.signal },
      () => {},
    )
    expect(document.querySelector('.sso-embed-interstitial')).not.toBeNull()
    flow.abort()
    expect(await outcome).toBe(false)
    expect(document.querySelector('.sso-embed-interstitial')).toBeNull()
  })

  test('strict CSP: no inline style and no <style> with constructable stylesheets; their sheet goes with remove()', () => {
    const ui = mountInterstitial('Continue to Acme')
    expect(document.querySelectorAll('style, [style]')).toHaveLength(0)
    const rules = () => document.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('\n')
    expect(rules()).toContain('.sso-embed-interstitial')
    ui.remove()
    expect(rules()).not.toContain('.sso-embed-interstitial')
  })

  test('without constructable stylesheets the one <style> carries the nonce, and leaves with remove()', () => {
    vi.stubGlobal('CSSStyleSheet', undefined) // a browser without them (Safari before 16.4)
    try {
      const ui = mountInterstitial('Continue to Acme', '', 'n0nce')
      const style = document.querySelector('style')!
      expect(style.nonce).toBe('n0nce')
      expect(style.textContent).toContain('.sso-embed-interstitial')
      ui.remove()
      expect(document.querySelector('style')).toBeNull()
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
