// A minimal classic-WebDriver client (W3C WebDriver over HTTP), enough to drive WebKitGTK's MiniBrowser
// through WebKitWebDriver: sessions, navigation, frames, windows, scripts and element clicks.
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

export interface WebDriverElement {
  [ELEMENT]: string
}

export class WebDriverError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(`${error}: ${message}`)
  }
}

export class WebDriverSession {
  private constructor(
    private readonly base: string,
    readonly id: string,
    readonly capabilities: Record<string, unknown>,
  ) {}

  /** A new session; `timeout`: how long the browser may take to come up. */
  static async create(server: string, capabilities: Record<string, unknown>, timeout = REQUEST_TIMEOUT): Promise<WebDriverSession> {
    const value = (await send(`${server}/session`, 'POST', { capabilities: { alwaysMatch: capabilities } }, timeout)) as {
      sessionId: string
      capabilities: Record<string, unknown>
    }
    return new WebDriverSession(server, value.sessionId, value.capabilities)
  }

  private call(method: string, path: string, body?: unknown): Promise<unknown> {
    return send(`${this.base}/session/${this.id}${path}`, method, body)
  }

  goto(url: string) {
    return this.call('POST', '/url', { url })
  }

  /** Runs `script` (a function body; `arguments[arguments.length - 1]` is the callback) in the current browsing context. */
  executeAsync(script: string, args: unknown[] = []): Promise<unknown> {
    return this.call('POST', '/execute/async', { script, args })
  }

  execute(script: string, args: unknown[] = []): Promise<unknown> {
    return this.call('POST', '/execute/sync', { script, args })
  }

  setScriptTimeout(ms: number) {
    return this.call('POST', '/timeouts', { script: ms })
  }

  async find(css: string): Promise<WebDriverElement> {
    return (await this.call('POST', '/element', { using: 'css selector', value: css })) as WebDriverElement
  }

  click(element: WebDriverElement) {
    return this.call('POST', `/element/${element[ELEMENT]}/click`, {})
  }

  /** Switches to the child frame `element`, or back to the top-level document with `null`. */
  frame(element: WebDriverElement | null) {
    return this.call('POST', '/frame', { id: element })
  }

  windows(): Promise<string[]> {
    return this.call('GET', '/window/handles') as Promise<string[]>
  }

  window(): Promise<string> {
    return this.call('GET', '/window') as Promise<string>
  }

  switchWindow(handle: string) {
    return this.call('POST', '/window', { handle })
  }

  async newWindow(): Promise<string> {
    return ((await this.call('POST', '/window/new', { type: 'tab' })) as { handle: string }).handle
  }

  closeWindow() {
    return this.call('DELETE', '/window')
  }

  async quit(): Promise<void> {
    await send(`${this.base}/session/${this.id}`, 'DELETE').catch(() => undefined)
  }
}

// longer than any script timeout the rig sets (60 s): a driver that stops answering fails the call instead of hanging the file
const REQUEST_TIMEOUT = 90_000

async function send(url: string, method: string, body?: unknown, timeout = REQUEST_TIMEOUT): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeout),
  })
  const json = (await response.json().catch(() => ({}))) as { value?: { error?: string; message?: string } & Record<string, unknown> }
  if (!response.ok || json.value?.error) throw new WebDriverError(json.value?.error ?? `HTTP ${response.status}`, json.value?.message ?? '')
  return json.value
}
