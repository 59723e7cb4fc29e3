import { connectToHost } from '@sso-embed/frame'
import type { DemoPlatform } from '../contract'

const config = (window as unknown as { __APP_CONFIG__: { allowedHostOrigins: string[] } }).__APP_CONFIG__

const $ = (id: string) => document.getElementById(id)!
const params = new URLSearchParams(location.search)

const connection = connectToHost<DemoPlatform>({
  allowedHostOrigins: config.allowedHostOrigins,
  exchange: '/api/exchange',
  basePath: '/embed',
  debug: params.has('debug'),
  storageAccess: { appName: 'Demo platform', ...(params.has('sat') && { timeout: Number(params.get('sat')) }) },
  onStorageAccess(report) {
    $('storage').textContent = `${report.status} (storage access: ${report.hasStorageAccess}, localStorage: ${report.localStorage ? 'works' : 'blocked'})`
  },
  commands: {
    flowCount: async () => (await api<{ flows: Flow[] }>('/api/flows')).flows.length,
    ping: (payload) => ({ pong: payload }),
  },
  onAuthenticated(auth) {
    document.body.dataset.state = 'signed-in'
    $('status').textContent = `Signed in as ${auth.user.name ?? auth.user.id}`
    $('status').dataset.kind = 'ok'
    $('user').textContent = auth.user.name ?? auth.user.id
    $('project').textContent = auth.project?.name ?? '–'
    $('expires').textContent = new Date(auth.expiresAt).toLocaleTimeString()
    $('host').textContent = connection.hostOrigin ?? '–' // as the browser reported it
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

type Flow = { id: string; name: string; steps: string[]; updatedAt: string }

const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
  const response = await connection.fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } })
  if (!response.ok) throw new Error(((await response.json()) as { error?: { message: string } }).error?.message ?? `HTTP ${response.status}`)
  return (await response.json()) as T
}

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '', attributes: Record<string, string> = {}) => {
  const node = document.createElement(tag)
  node.textContent = text
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  return node
}

/** The builder's pages: the flows list and the editor of one flow. */
async function renderView(route: string) {
  const view = $('view')
  view.replaceChildren()
  if (!connection.auth) return
  const editing = /^\/flows\/([^/]+)$/.exec(route)
  if (route === '/flows') {
    const { flows } = await api<{ flows: Flow[] }>('/api/flows')
    const list = element('ul')
    for (const flow of flows) {
      const item = element('li')
      item.append(element('a', flow.name, { href: `/embed/flows/${flow.id}` }), ` — ${flow.steps.length} steps`)
      list.append(item)
    }
    const form = element('form', '', { 'aria-label': 'New flow' })
    const name = element('input', '', { name: 'name', placeholder: 'New flow name', 'aria-label': 'New flow name' })
    form.append(name, element('button', 'Create flow', { type: 'submit' }))
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void api<{ flow: Flow }>('/api/flows', { method: 'POST', body: JSON.stringify({ name: name.value }) }).then(({ flow }) => {
        connection.emit('flowCreated', { id: flow.id, name: flow.name })
        return renderView('/flows')
      })
    })
    view.append(element('h2', 'Flows'), list, form)
  } else if (editing) {
    const { flow } = await api<{ flow: Flow }>(`/api/flows/${editing[1]}`)
    const steps = element('ol')
    for (const step of flow.steps) steps.append(element('li', step))
    const form = element('form', '', { 'aria-label': 'Add a step' })
    const step = element('input', '', { name: 'step', placeholder: 'Then…', 'aria-label': 'New step' })
    form.append(step, element('button', 'Add step', { type: 'submit' }))
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void api(`/api/flows/${flow.id}`, { method: 'PUT', body: JSON.stringify({ steps: [...flow.steps, step.value] }) }).then(() => renderView(route))
    })
    view.append(element('h2', flow.name), element('p', `Last saved ${new Date(flow.updatedAt).toLocaleString()}`), steps, form)
  } else if (route === '/settings') {
    view.append(element('h2', 'Settings'), element('p', 'Project settings are managed by your administrator.'))
  }
}

const showRoute = () => {
  const route = location.pathname.replace(/^\/embed/, '') || '/'
  $('route').textContent = route
  void renderView(route).catch((error: Error) => ($('view').textContent = error.message))
}
showRoute()
connection.ready.then(showRoute, () => {})
addEventListener('popstate', showRoute)

// client-side navigation, so routes change without reloading the frame
document.body.addEventListener('click', (event) => {
  const link = (event.target as Element).closest('a')
  if (!link) return
  event.preventDefault()
  history.pushState(null, '', link.getAttribute('href'))
  showRoute()
})

Object.assign(window, { ssoConnection: connection })
