// The demo platform's admin page: signing keys (generate, register, set origins, revoke) and the
// users and projects that embed logins provisioned.
type Key = { kid: string; name: string; account: string; alg: string; origins: string[]; createdAt: string; revokedAt?: string }
type User = {
  externalId: string
  account: string
  tenant: string
  firstName: string | null
  lastName: string | null
  email: string | null
  attributes: { planId?: number; groups?: string[] }
  createdAt: string
}
type Project = {
  id: string
  externalId: string
  account: string
  tenant: string
  name: string
  attributes: { tasks?: number; aiCredits?: number }
  createdAt: string
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T
const origins = (value: FormDataEntryValue | null) =>
  String(value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)

const SECRET_KEY = 'sso-embed-admin-secret'

/**
 * This run's admin secret: the start banner's link brings it in the fragment (`#secret=…`, never sent to
 * a server); the page keeps it in this tab's sessionStorage and takes it out of the address bar.
 */
function adminSecret(): string | null {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('secret')
  if (fromLink) {
    sessionStorage.setItem(SECRET_KEY, fromLink)
    history.replaceState(null, '', location.pathname + location.search)
  }
  return sessionStorage.getItem(SECRET_KEY)
}
const secret = adminSecret()

async function call<T>(path: string, body?: unknown): Promise<T> {
  const headers = { authorization: `Bearer ${secret ?? ''}` }
  const response = await fetch(
    path,
    body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  )
  const json = (await response.json()) as T & { error?: { code: string; message: string } }
  if (response.status === 401) {
    // a secret of an earlier run: forget it, so that the next link's is used
    sessionStorage.removeItem(SECRET_KEY)
    lock()
  }
  if (json.error) throw new Error(`${json.error.code}: ${json.error.message}`)
  return json
}

/** Says, at the top of the page, that it needs this run's admin link. */
function lock() {
  $('locked').hidden = false
  $('locked').textContent =
    'This page needs the admin secret of this run: open the "Platform admin" link that `pnpm playground` printed (…/embed/admin#secret=…). The playground makes a new one each time it starts.'
}

function say(text: string, kind: 'ok' | 'error' = 'ok') {
  $('message').textContent = text
  $('message').dataset.kind = kind
}

function cells(row: HTMLTableRowElement, values: Array<string | Node>) {
  for (const value of values) {
    const cell = row.insertCell()
    cell.append(value)
  }
}

async function renderKeys() {
  const { keys } = await call<{ keys: Key[] }>('/admin/api/keys')
  const body = $('keys').querySelector('tbody')!
  body.replaceChildren()
  for (const key of keys) {
    const row = body.insertRow()
    if (key.revokedAt) row.className = 'revoked'
    const kid = document.createElement('code')
    kid.textContent = key.kid
    const originsInput = Object.assign(document.createElement('input'), { value: key.origins.join(', '), size: 30, disabled: Boolean(key.revokedAt) })
    originsInput.setAttribute('aria-label', `Host origins of ${key.name}`)
    originsInput.addEventListener('change', () => {
      call(`/admin/api/keys/${encodeURIComponent(key.kid)}/origins`, { origins: origins(originsInput.value) }).then(
        () => say(`Origins of ${key.name} saved.`),
        (error: Error) => say(error.message, 'error'),
      )
    })
    const revoke = Object.assign(document.createElement('button'), {
      type: 'button',
      textContent: key.revokedAt ? 'Revoked' : 'Revoke',
      disabled: Boolean(key.revokedAt),
    })
    revoke.addEventListener('click', () => {
      if (!confirm(`Revoke ${key.name}? Tokens signed with it stop working at once.`)) return
      call(`/admin/api/keys/${encodeURIComponent(key.kid)}/revoke`, {}).then(renderKeys, (error: Error) => say(error.message, 'error'))
    })
    cells(row, [kid, key.name, key.account, key.alg, originsInput, new Date(key.createdAt).toLocaleString(), revoke])
  }
}

async function renderDirectory() {
  const { users, projects, memberships } = await call<{ users: User[]; projects: Project[]; memberships: Array<{ projectId: string }> }>('/admin/api/directory')
  const userRows = $('users').querySelector('tbody')!
  userRows.replaceChildren()
  for (const user of users) {
    cells(userRows.insertRow(), [
      user.account,
      user.externalId,
      user.tenant || '–',
      [user.firstName, user.lastName].filter(Boolean).join(' ') || '–',
      user.email ?? '–',
      user.attributes.planId === undefined ? '–' : String(user.attributes.planId),
      user.attributes.groups?.join(', ') || '–',
      new Date(user.createdAt).toLocaleString(),
    ])
  }
  const projectRows = $('projects').querySelector('tbody')!
  projectRows.replaceChildren()
  for (const project of projects) {
    const members = memberships.filter((m) => m.projectId === project.id).length
    const limits = [
      project.attributes.tasks !== undefined && `${project.attributes.tasks} tasks`,
      project.attributes.aiCredits !== undefined && `${project.attributes.aiCredits} AI credits`,
    ]
      .filter(Boolean)
      .join(', ')
    cells(projectRows.insertRow(), [
      project.account,
      project.externalId,
      project.tenant || '–',
      project.name,
      String(members),
      limits || '–',
      new Date(project.createdAt).toLocaleString(),
    ])
  }
}

$('generate').addEventListener('submit', (event) => {
  event.preventDefault()
  const data = new FormData(event.target as HTMLFormElement)
  call<{ key: Key; privatePem: string }>('/admin/api/keys', {
    name: data.get('name'),
    account: data.get('account'),
    origins: origins(data.get('origins')),
  }).then(
    ({ key, privatePem }) => {
      $('private').hidden = false
      $('private-kid').textContent = key.kid
      $<HTMLTextAreaElement>('private-pem').value = privatePem
      say(`Key ${key.name} generated.`)
      void renderKeys()
    },
    (error: Error) => say(error.message, 'error'),
  )
})

$('copy').addEventListener('click', () => {
  navigator.clipboard.writeText($<HTMLTextAreaElement>('private-pem').value).then(
    () => ($('copied').textContent = 'Copied.'),
    () => ($('copied').textContent = 'Copy failed: select the text and copy it.'),
  )
})

$('register').addEventListener('submit', (event) => {
  event.preventDefault()
  const data = new FormData(event.target as HTMLFormElement)
  call('/admin/api/keys', {
    publicPem: data.get('publicPem'),
    kid: data.get('kid') || undefined,
    account: data.get('account'),
    origins: origins(data.get('origins')),
  }).then(
    () => {
      say('Public key registered.')
      ;(event.target as HTMLFormElement).reset()
      void renderKeys()
    },
    (error: Error) => say(error.message, 'error'),
  )
})

if (secret) {
  void renderKeys().catch((error: Error) => say(error.message, 'error'))
  void renderDirectory().catch((error: Error) => say(error.message, 'error'))
} else {
  lock()
}
export {}
