import type { StorageAccessReport, StorageStatus } from '@sso-embed/protocol'

/** Sets a short-lived probe cookie with `attributes` and tells whether it can be read back. */
function cookieRoundTrip(name: string, attributes: string): boolean {
  try {
    const value = Math.random().toString(36).slice(2)
    const base = `; Path=/; Secure; SameSite=None${attributes}`
    document.cookie = `${name}=${value}${base}; Max-Age=30`
    const ok = document.cookie.split('; ').includes(`${name}=${value}`)
    document.cookie = `${name}=${base}; Max-Age=-1` // any Max-Age ≤ 0 deletes it (RFC 6265); -1 also in test DOMs that compare with the same millisecond
    return ok
  } catch {
    return false // a sandbox without allow-same-origin throws
  }
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

/** What this document may store: the first-party (unpartitioned) cookies, partitioned ones, or none. */
export async function detectStorage(): Promise<StorageAccessReport & { status: StorageStatus }> {
  let hasStorageAccess: boolean | null = null
  try {
    hasStorageAccess = typeof document.hasStorageAccess === 'function' ? await document.hasStorageAccess() : null
  } catch {
    hasStorageAccess = false
  }
  // Firefox's Total Cookie Protection keeps a plain cookie in the partitioned jar and reads it back:
  // without storage access (hasStorageAccess() false) a cookie that round-trips is still partitioned
  const status: StorageStatus = hasStorageAccess !== false && cookieRoundTrip('sso_embed_probe', '')
    ? 'unpartitioned'
    : cookieRoundTrip('sso_embed_probe_p', '; Partitioned')
      ? 'partitioned'
      : 'cookieless'
  return { status, hasStorageAccess, localStorage: localStorageWorks() }
}
