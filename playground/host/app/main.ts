import { configure, type Embed, type EmbedOptions, type StoragePolicy, type Transport } from '@sso-embed/core'

declare global {
  interface Window {
    /** Exposed for the end-to-end tests and for experiments in the console. */
    ssoEmbed: { configure: typeof configure; instanceUrl: string }
    demoEmbed?: Embed
  }
}

const { instanceUrl } = (window as unknown as { __APP_CONFIG__: { instanceUrl: string } }).__APP_CONFIG__
window.ssoEmbed = { configure, instanceUrl }

const form = document.getElementById('controls') as HTMLFormElement
const log = document.getElementById('log')!
const stateOutput = document.getElementById('state')!

function write(line: string) {
  const item = document.createElement('li')
  item.textContent = `${new Date().toLocaleTimeString()}  ${line}`
  log.prepend(item)
}

function mount() {
  window.demoEmbed?.destroy()
  const data = new FormData(form)
  const query = new URLSearchParams({
    user: String(data.get('user')),
    firstName: String(data.get('firstName')),
    lastName: String(data.get('lastName')),
    project: String(data.get('project')),
    role: String(data.get('role')),
    profile: String(data.get('profile')),
  })
  // the "Token" switch: break it on purpose to see each state of the embed
  const tokenCase = String(data.get('tokenCase'))
  if (tokenCase === 'expired') query.set('ttl', '-120')
  if (tokenCase === 'wrong-key') query.set('key', 'wrong')
  const getToken = async () => {
    const response = await fetch(tokenCase === '404' ? '/api/missing' : `/api/token?${query}`)
    if (!response.ok) throw new Error(`token URL answered HTTP ${response.status}`)
    return ((await response.json()) as { token: string }).token
  }
  const options: EmbedOptions = {
    instanceUrl,
    // the demo host's account at the platform: the embed page answers with this account's origins only
    account: 'acme',
    container: '#embed',
    getToken,
    transport: data.get('transport') as Transport,
    storage: data.get('storage') as StoragePolicy,
    iframe: { title: 'Demo platform' },
  }
  const embed = configure(options)
  window.demoEmbed = embed
  stateOutput.textContent = embed.state
  for (const type of ['ready', 'authenticated', 'navigate', 'resize', 'tokenExpired', 'sessionExpired', 'signedOut', 'storageAccess'] as const) {
    embed.on(type, (payload) => {
      write(`${type} ${payload === undefined ? '' : JSON.stringify(payload)}`)
      stateOutput.textContent = embed.state
    })
  }
  embed.on('error', (error) => {
    write(`error ${error.code}: ${error.message}`)
    stateOutput.textContent = embed.state
  })
}

// the "strict CSP" switch: the server sends docs/csp.md's host policy for ?csp=strict
const strict = document.getElementById('strict-csp') as HTMLInputElement
strict.checked = new URLSearchParams(location.search).get('csp') === 'strict'
strict.addEventListener('change', () => {
  const params = new URLSearchParams(location.search)
  if (strict.checked) params.set('csp', 'strict')
  else params.delete('csp')
  location.search = params.toString()
})

form.addEventListener('submit', (event) => {
  event.preventDefault()
  mount()
})
document.getElementById('destroy')!.addEventListener('click', () => {
  window.demoEmbed?.destroy()
  stateOutput.textContent = 'destroyed'
  write('destroyed')
})

if (!new URLSearchParams(location.search).has('manual')) mount()
