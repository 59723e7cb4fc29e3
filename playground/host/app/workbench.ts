// The token workbench: edit claims, sign them with the host's key, decode a token, and ask the platform
// (its verifier, from this host's origin) whether it would accept it — and if not, exactly why.
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T
const form = $<HTMLFormElement>('sign')
const claimsField = form.elements.namedItem('claims') as HTMLTextAreaElement
const profileField = form.elements.namedItem('profile') as HTMLSelectElement
const tokenField = $<HTMLTextAreaElement>('token')

// the claims the demo login signs for each profile (playground/profile.ts), from the host backend
const templates = (await (await fetch('/api/workbench/templates')).json()) as Record<string, object>
const fill = () => (claimsField.value = JSON.stringify(templates[profileField.value], null, 2))
profileField.addEventListener('change', fill)
fill()

type Inspection = { header: object; claims: object; times: object; warnings: string[] } | { error: { code: string; message: string } }
type Verdict = { error?: { code: string; message: string; claim?: string }; identity?: unknown }

/** Decodes and warns (the host backend runs `inspectToken`, like `sso-embed token inspect`), and shows the platform's verdict. */
async function check() {
  const response = await fetch('/api/workbench/check', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: tokenField.value.trim() }),
  })
  const { inspection, verdict } = (await response.json()) as { inspection: Inspection; verdict: Verdict }
  if ('error' in inspection) {
    $('decoded').textContent = `Not a JWT: ${inspection.error.message}`
    $('warnings').replaceChildren()
  } else {
    const { header, claims, times } = inspection
    $('decoded').textContent = JSON.stringify({ header, claims, times }, null, 2)
    $('warnings').replaceChildren(...inspection.warnings.map((text) => Object.assign(document.createElement('li'), { textContent: text })))
  }
  $('verdict').textContent = verdict.error
    ? `Refused: ${verdict.error.code}${verdict.error.claim ? ` (claim "${verdict.error.claim}")` : ''} — ${verdict.error.message}`
    : 'Accepted: the exchange would sign this user in.'
  $('verdict').dataset.kind = verdict.error ? 'error' : 'ok'
  $('result').textContent = JSON.stringify(verdict.error ?? verdict.identity, null, 2)
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
