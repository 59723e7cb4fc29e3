import { connectToHost } from '@sso-embed/frame'

const config = (window as unknown as { __APP_CONFIG__: { allowedHostOrigins: string[] } }).__APP_CONFIG__

const $ = (id: string) => document.getElementById(id)!
const params = new URLSearchParams(location.search)

const connection = connectToHost({
  allowedHostOrigins: config.allowedHostOrigins,
  exchange: '/api/exchange',
  basePath: '/embed',
  debug: params.has('debug'),
  storageAccess: { appName: 'Demo platform', ...(params.has('sat') && { timeout: Number(params.get('sat')) }) },
  onStorageAccess(report) {
    $('storage').textContent = `${report.status} (storage access: ${report.hasStorageAccess}, localStorage: ${report.localStorage ? 'works' : 'blocked'})`
  },
  onAuthenticated(auth) {
    document.body.dataset.state = 'signed-in'
    $('status').textContent = `Signed in as ${auth.user.name ?? auth.user.id}`
    $('status').dataset.kind = 'ok'
    $('user').textContent = auth.user.name ?? auth.user.id
    $('project').textContent = auth.project?.name ?? '–'
    $('expires').textContent = new Date(auth.expiresAt).toLocaleTimeString()
    void connection
      .fetch('/api/me')
      .then((response) => response.json())
      .then((me: { user?: { name: string }; via?: string }) => {
        $('api').textContent = me.user ? `${me.user.name} (${me.via})` : 'not signed in'
      })
  },
})

connection.ready.catch((error: { code: string; message: string }) => {
  document.body.dataset.state = 'error'
  $('status').textContent = `${error.code}: ${error.message}`
  $('status').dataset.kind = 'error'
})

const showRoute = () => ($('route').textContent = location.pathname.replace(/^\/embed/, '') || '/')
showRoute()
addEventListener('popstate', showRoute)

// client-side navigation, so routes change without reloading the frame
document.querySelector('nav')!.addEventListener('click', (event) => {
  const link = (event.target as Element).closest('a')
  if (!link) return
  event.preventDefault()
  history.pushState(null, '', link.getAttribute('href'))
  showRoute()
})

Object.assign(window, { ssoConnection: connection, frameLoadedAt: performance.now() })
