import type { StorageAccessReport, StorageStatus } from '@sso-embed/protocol'

const ATTRIBUTES = '; Path=/; Secure; SameSite=None'

/** Sets a short-lived probe cookie with `attributes`; tells whether it reads back, and deletes it after `whileSet`. */
async function cookieRoundTrip(name: string, attributes: string, whileSet?: () => Promise<void>): Promise<boolean> {
  let ok = false
  try {
    const value = Math.random().toString(36).slice(2)
    document.cookie = `${name}=${value}${ATTRIBUTES}${attributes}; Max-Age=30`
    ok = document.cookie.split('; ').includes(`${name}=${value}`)
    await whileSet?.()
    document.cookie = `${name}=${ATTRIBUTES}${attributes}; Max-Age=-1` // any Max-Age ≤ 0 deletes it (RFC 6265); -1 also in test DOMs that compare with the same millisecond
  } catch {
    // a sandbox without allow-same-origin throws
  }
  return ok
}

function localStorageWorks(): boolean {
  try {
    // in a cross-site frame with third-party cookies blocked, touching localStorage throws SecurityError
    localStorage.setItem('sso_embed_probe', '1')
    localStorage.removeItem('sso_embed_probe')
    return true
  } catch {
    return false
  }
}

async function hasAccess(): Promise<boolean | null> {
  try {
    return typeof document.hasStorageAccess === 'function' ? await document.hasStorageAccess() : null
  } catch {
    return false
  }
}

/**
 * What this document may store: the first-party (unpartitioned) cookies, partitioned ones, or none.
 *
 * A cookie that round-trips is first-party only where the browser also says the frame has storage
 * access: Firefox's Total Cookie Protection keeps a plain cookie in the partitioned jar and reads it back
 * (`hasStorageAccess()` false). The question is asked while the probe cookie is set, because WebKit
 * answers `false` to a frame of a site that has no cookie yet, then `true` once one is set (it has no
 * CHIPS: its "partitioned" cookie would be a plain first-party one). `partitioned` is reported only when
 * a `Partitioned` cookie works and no first-party one does.
 */
export async function detectStorage(): Promise<StorageAccessReport & { status: StorageStatus }> {
  let hasStorageAccess = null as boolean | null
  const plain = await cookieRoundTrip('sso_embed_probe', '', async () => {
    hasStorageAccess = await hasAccess()
  })
  const status: StorageStatus =
    plain && hasStorageAccess !== false ? 'unpartitioned' : (await cookieRoundTrip('sso_embed_probe_p', '; Partitioned')) ? 'partitioned' : 'cookieless'
  return { status, hasStorageAccess, localStorage: localStorageWorks() }
}
