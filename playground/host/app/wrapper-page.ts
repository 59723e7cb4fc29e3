// Shared by the demo host's framework pages: the platform URL, the token URL of the demo backend, and
// an event log.
export const { instanceUrl } = (window as unknown as { __APP_CONFIG__: { instanceUrl: string } }).__APP_CONFIG__

const params = new URLSearchParams(location.search)
/** The demo backend's token route for the user named in this page's query (`?user=…&firstName=…`). */
export const tokenUrl = `/api/token?${new URLSearchParams({
  user: params.get('user') ?? 'ada',
  firstName: params.get('firstName') ?? 'Ada',
  lastName: params.get('lastName') ?? 'Lovelace',
  project: params.get('project') ?? 'acme',
})}`

export function log(type: string, payload?: unknown): void {
  const item = document.createElement('li')
  item.textContent = `${new Date().toLocaleTimeString()}  ${type} ${payload === undefined ? '' : JSON.stringify(payload)}`
  document.getElementById('log')!.prepend(item)
}
