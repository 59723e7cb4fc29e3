/** The current route relative to `basePath` (path, query and hash). */
export function currentPath(basePath: string): string {
  const { pathname, search, hash } = location
  const path = pathname === basePath ? '/' : pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : pathname
  return path + search + hash
}

/** Calls `report` whenever the route changes: back/forward and hash changes (`popstate`), and `pushState` where the Navigation API exists. */
export function observeRoute(basePath: string, report: (path: string) => void): () => void {
  let last = currentPath(basePath)
  const check = () => {
    const path = currentPath(basePath)
    if (path !== last) report((last = path))
  }
  const nav = (globalThis as { navigation?: EventTarget }).navigation
  nav?.addEventListener('currententrychange', check)
  addEventListener('popstate', check)
  return () => {
    nav?.removeEventListener('currententrychange', check)
    removeEventListener('popstate', check)
  }
}

/** Default handler for the host's `navigate()`: `pushState` plus a `popstate` event, which client-side routers follow. */
export function pushRoute(url: string): void {
  history.pushState(null, '', url)
  dispatchEvent(new PopStateEvent('popstate', { state: null }))
}
