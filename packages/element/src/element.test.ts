import { afterEach, describe, expect, test, vi } from 'vitest'
import { embeds, fakeConfigure, FRAME, live } from '../../core/test/fake-configure'
import { defineSsoEmbed, type SsoEmbedElement } from './index'

vi.mock('@sso-embed/core', async (original) => ({ ...(await original<object>()), configure: vi.fn(fakeConfigure) }))

defineSsoEmbed()

afterEach(() => {
  embeds.length = 0
  document.body.replaceChildren()
})

async function place(html: string): Promise<SsoEmbedElement> {
  document.body.innerHTML = html
  const element = document.querySelector('sso-embed')!
  await element.updateComplete
  return element
}

describe('<sso-embed>', () => {
  test('attributes become configure() options; the iframe is mounted inside the element', async () => {
    const element = await place(
      '<sso-embed instance-url="https://platform.example/embed" token-url="/api/token" path="/flows" transport="query" storage="require" auto-resize="false" min-height="300" timeout="5000" locale="fr" ui=\'{"hideSidebar":true}\'></sso-embed>',
    )
    expect(embeds).toHaveLength(1)
    expect(embeds[0]!.options).toEqual({
      instanceUrl: 'https://platform.example/embed',
      tokenUrl: '/api/token',
      path: '/flows',
      transport: 'query',
      storage: 'require',
      autoResize: false,
      minHeight: 300,
      timeout: 5000,
      locale: 'fr',
      ui: { hideSidebar: true },
      container: element,
    })
    expect(element.querySelectorAll(FRAME)).toHaveLength(1)
  })

  test('a changed token goes through update(); a changed instance-url mounts a new embed', async () => {
    const element = await place('<sso-embed instance-url="https://platform.example/embed" token="jwt-1"></sso-embed>')
    element.setAttribute('token', 'jwt-2')
    await element.updateComplete
    expect(embeds[0]!.update).toHaveBeenCalledWith({ token: 'jwt-2' })
    element.instanceUrl = 'https://other.example/embed'
    await element.updateComplete
    expect(embeds).toHaveLength(2)
    expect(live()).toHaveLength(1)
    expect(element.querySelectorAll(FRAME)).toHaveLength(1)
  })

  test('events are DOM events sso-embed:*, bubbling and composed, with the payload in detail', async () => {
    const element = await place('<div><sso-embed instance-url="https://platform.example/embed" token="jwt"></sso-embed></div>')
    const heard: CustomEvent[] = []
    element.parentElement!.addEventListener('sso-embed:ready', (event) => heard.push(event as CustomEvent))
    embeds[0]!.emit('ready', { user: { id: 'u' } })
    expect(heard).toHaveLength(1)
    expect(heard[0]!.detail).toEqual({ user: { id: 'u' } })
    expect(heard[0]!.bubbles && heard[0]!.composed).toBe(true)
  })

  test('removed from the page it destroys its embed; put back, it mounts a fresh one', async () => {
    const element = await place('<sso-embed instance-url="https://platform.example/embed" token="jwt"></sso-embed>')
    element.remove()
    expect(live()).toHaveLength(0)
    document.body.append(element)
    expect(embeds).toHaveLength(2)
    expect(live()).toHaveLength(1)
    expect(element.querySelectorAll(FRAME)).toHaveLength(1)
  })

  test('methods reach the embed; nothing mounts without instance-url', async () => {
    const element = await place('<sso-embed instance-url="https://platform.example/embed" token="jwt"></sso-embed>')
    element.navigate('/x')
    element.setToken('jwt-2')
    expect(embeds[0]!.navigate).toHaveBeenCalledWith('/x')
    expect(embeds[0]!.setToken).toHaveBeenCalledWith('jwt-2')
    const empty = document.createElement('sso-embed')
    document.body.append(empty)
    await empty.updateComplete
    expect(embeds).toHaveLength(1)
    empty.setAttribute('instance-url', 'https://platform.example/embed')
    empty.setAttribute('token', 'jwt')
    await empty.updateComplete
    expect(embeds).toHaveLength(2)
  })

  test('slot="loading" and slot="error" children replace the default views; [data-retry] retries', async () => {
    const { SsoEmbedError } = await import('@sso-embed/core')
    const element = await place(
      '<sso-embed instance-url="https://platform.example/embed" token-url="/api/token"><p slot="loading">Warming up</p><div slot="error" hidden><button data-retry>Again</button></div></sso-embed>',
    )
    const [loading, failed] = [element.querySelector<HTMLElement>('[slot=loading]')!, element.querySelector<HTMLElement>('[slot=error]')!]
    expect(embeds[0]!.options).toMatchObject({ loading: false, errorView: false })
    expect([loading.hidden, failed.hidden]).toEqual([false, true])
    embeds[0]!.emit('authenticated', { user: { id: 'u' } })
    expect([loading.hidden, failed.hidden]).toEqual([true, true])
    embeds[0]!.state = 'error'
    element.addEventListener('sso-embed:error', (event) => event.preventDefault())
    embeds[0]!.emit('error', new SsoEmbedError('TOKEN_UNAVAILABLE', 'x'))
    expect([loading.hidden, failed.hidden]).toEqual([true, false])
    expect(failed.dataset['code']).toBe('TOKEN_UNAVAILABLE')
    failed.querySelector('button')!.click()
    expect(embeds[0]!.retry).toHaveBeenCalledOnce()
    expect(loading.hidden).toBe(false)
  })

  test('an sso-embed:error nobody handles is one console error with its docs link; preventDefault() takes it over', async () => {
    const { SsoEmbedError } = await import('@sso-embed/core')
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const element = await place('<sso-embed instance-url="https://platform.example/embed" token-url="/api/token"></sso-embed>')
    embeds[0]!.emit('error', new SsoEmbedError('TOKEN_UNAVAILABLE', 'HTTP 404'))
    expect(log).toHaveBeenCalledOnce()
    expect(log.mock.calls[0]![0]).toMatch(/^\[sso-embed\] TOKEN_UNAVAILABLE: HTTP 404 — see https:\/\/\S+#token-unavailable$/)
    element.addEventListener('sso-embed:error', (event) => event.preventDefault())
    embeds[0]!.emit('error', new SsoEmbedError('TOKEN_UNAVAILABLE', 'HTTP 404'))
    expect(log).toHaveBeenCalledOnce()
    log.mockRestore()
  })
})
