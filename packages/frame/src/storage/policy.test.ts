import type { StorageAccessReport } from '@sso-embed/protocol'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createStoragePolicy } from './policy'

type StorageApi = { hasStorageAccess?: unknown; requestStorageAccess?: unknown }

afterEach(() => {
  document.body.replaceChildren()
  delete (document as StorageApi).hasStorageAccess
  delete (document as StorageApi).requestStorageAccess
})

/** A `require` policy and what it reported. */
function requirePolicy() {
  const reports: StorageAccessReport[] = []
  const policy = createStoragePolicy({
    own: 'require',
    settings: { timeout: 1000 },
    popupUrl: 'https://platform.example/api/embed/storage-access',
    report: (report) => void reports.push(report),
    onLateGrant: () => undefined,
  })
  return { policy, reports }
}

describe("storage 'require'", () => {
  test('a document loaded with storage access active (Activate-Storage-Access: load, or a grant the engine applied): no interstitial, no requestStorageAccess(), unpartitioned reported', async () => {
    // what the browser gives a document it loaded with an active grant
    document.hasStorageAccess = async () => true
    const request = vi.fn(async () => undefined)
    document.requestStorageAccess = request
    const { policy, reports } = requirePolicy()
    await policy.gate()
    expect(document.querySelector('.sso-embed-interstitial')).toBeNull()
    expect(request).not.toHaveBeenCalled()
    // the one report is the measured status: no prompt or grant step was needed in this document
    expect(reports).toEqual([{ status: 'unpartitioned', hasStorageAccess: true, localStorage: true }])
    policy.destroy()
  })

  test('a grant that is not active (no header from the platform, or an engine without the headers): the interstitial, and requestStorageAccess() only on the click', async () => {
    let active = false
    document.hasStorageAccess = async () => active
    const request = vi.fn(async () => void (active = true))
    document.requestStorageAccess = request
    const { policy, reports } = requirePolicy()
    const gate = policy.gate()
    const button = await vi.waitFor(() => {
      const found = document.querySelector<HTMLButtonElement>('.sso-embed-interstitial button:not([hidden])')
      if (!found) throw new Error('no interstitial yet')
      return found
    })
    expect(request).not.toHaveBeenCalled()
    expect(reports.map((r) => r.status)).toEqual(['prompt'])
    button.click()
    await gate
    expect(request).toHaveBeenCalledOnce()
    expect(reports.map((r) => r.status)).toEqual(['prompt', 'granted', 'unpartitioned'])
    expect(reports.at(-1)).toMatchObject({ hasStorageAccess: true })
    expect(document.querySelector('.sso-embed-interstitial')).toBeNull()
    policy.destroy()
  })
})
