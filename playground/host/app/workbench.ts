// The token workbench: edit claims, sign them with the host's key, decode a token, and ask the platform
// (its verifier, from this host's origin) whether it would accept it — and if not, exactly why.
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T
const form = $<HTMLFormElement>('sign')
const claimsField = form.elements.namedItem('claims') as HTMLTextAreaElement
const profileField = form.elements.namedItem('profile') as HTMLSelectElement
const tokenField = $<HTMLTextAreaElement>('token')

const templates: Record<string, object> = {
  'activepieces-v3': { version: 'v3', externalUserId: 'ada', externalProjectId: 'acme', projectDisplayName: 'Acme', firstName: 'Ada', lastName: 'Lovelace', role: 'EDITOR', piecesFilterType: 'NONE', tasks: 1000 },
  latenode: { tenant_id: 1, user_id: 'ada', plan_id: 1, no_personal_space: true, grant_access: [{ space_id: 100, role_id: 2 }] },
  raytha: { sub: 'ada', email: 'ada@acme.example', given_name: 'Ada', family_name: 'Lovelace', groups: ['editors'] },
}
const fill = () => (claimsField.value = JSON.stringify(templates[profileField.value], null, 2))
profileField.addEventListener('change', fill)
fill()

const decodePart = (part: string) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))) as Record<string, unknown>

function inspect(token: string) {
  const warnings: string[] = []
  try {
    const [header, payload] = token.split('.').slice(0, 2).map(decodePart) as [Record<string, unknown>, Record<string, unknown>]
    $('decoded').textContent = JSON.stringify({ header, claims: payload }, null, 2)
    const now = Date.now() / 1000
    const exp = payload['exp'] as number | undefined
    const iat = payload['iat'] as number | undefined
    if (header['kid'] === undefined) warnings.push('No "kid": the platform can only match the key when a single one applies.')
    if (exp === undefined) warnings.push('No "exp": the platform refuses tokens that never expire.')
    else if (exp <= now) warnings.push(`Expired ${Math.round(now - exp)} s ago.`)
    if (exp !== undefined && exp - (iat ?? now) > 300) warnings.push('Lifetime over 5 minutes: a leaked token stays usable that long.')
    if (payload['jti'] === undefined) warnings.push('No "jti": a replayed token cannot be told apart.')
  } catch {
    $('decoded').textContent = 'Not a JWT: expected three base64url parts with a JSON header and payload.'
  }
  $('warnings').replaceChildren(...warnings.map((text) => Object.assign(document.createElement('li'), { textContent: text })))
}

async function verify(token: string) {
  const response = await fetch('/api/workbench/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
  const result = (await response.json()) as { error?: { code: string; message: string; claim?: string }; identity?: unknown }
  $('verdict').textContent = result.error ? `Refused: ${result.error.code}${result.error.claim ? ` (claim "${result.error.claim}")` : ''} — ${result.error.message}` : 'Accepted: the exchange would sign this user in.'
  $('verdict').dataset.kind = result.error ? 'error' : 'ok'
  $('result').textContent = JSON.stringify(result.error ?? result.identity, null, 2)
}

async function check() {
  const token = tokenField.value.trim()
  inspect(token)
  await verify(token)
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  let claims: unknown
  try {
    claims = JSON.parse(claimsField.value)
  } catch (error) {
    $('verdict').textContent = `The claims are not valid JSON: ${(error as Error).message}`
    return
  }
  const ttl = Number((form.elements.namedItem('ttl') as HTMLInputElement).value)
  void fetch('/api/workbench/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ claims, ttl }) })
    .then((response) => response.json() as Promise<{ token?: string; error?: { message: string } }>)
    .then((result) => {
      if (!result.token) throw new Error(result.error?.message ?? 'signing failed')
      tokenField.value = result.token
      return check()
    })
    .catch((error: Error) => ($('verdict').textContent = error.message))
})
$('check').addEventListener('click', () => void check())
export {}
