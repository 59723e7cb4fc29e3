/**
 * True when `value` is exactly an origin — scheme, host and port, as `URL.origin` writes it: no path,
 * no trailing slash, no `*`, not `"null"`. Both sides compare origins with `===`, so anything else
 * would never match.
 */
export function isExactOrigin(value: unknown): value is string {
  try {
    const { origin } = new URL(value as string)
    // URL accepts `https://*.example.com` as a host: wildcards are refused here
    return origin === value && origin !== 'null' && !origin.includes('*')
  } catch {
    return false
  }
}
