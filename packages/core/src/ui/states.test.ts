import { SsoEmbedError } from '@sso-embed/protocol'
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { validateOptions, type EmbedOptions } from '../options'
import { messagesFor, textFor } from './messages'
import { canRetry } from './retry'
import { createStates } from './states'

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
const state = (container: Element) => container.querySelector<HTMLElement>('[data-sso-embed-state]')
const shadowText = (container: Element) => state(container)?.shadowRoot?.textContent ?? ''

function setup(extra: Partial<EmbedOptions> = {}) {
  const container = document.createElement('div')
  document.body.append(container)
  const iframe = document.createElement('iframe')
  container.append(iframe)
  const options = validateOptions({ instanceUrl: 'https://platform.example', container, token: 't', ...extra })
  const retry = vi.fn()
  return {
    container,
    iframe,
    retry,
    states: createStates(
      container,
      () => options,
      () => iframe,
      retry,
    ),
  }
}

afterEach(() => document.body.replaceChildren())
beforeAll(() => import('./view')) // loaded on demand: once loaded, a view shows within a tick

describe('the container states', () => {
  test('loading: a busy status sized like the embed, over a hidden (still mounted) iframe; clear() shows the iframe', async () => {
    const { container, iframe, states } = setup({ minHeight: 320 })
    states.loading()
    await flush()
    await vi.waitFor(() => expect(state(container)).not.toBeNull())
    const box = state(container)!.shadowRoot!.querySelector('[role=status]')!
    expect(box.getAttribute('aria-busy')).toBe('true')
    expect(box.textContent).toBe('Loading…')
    expect(state(container)!.style.minHeight).toBe('320px')
    expect(iframe.style.visibility).toBe('hidden')
    expect(iframe.isConnected).toBe(true)
    states.clear()
    expect(state(container)).toBeNull()
    expect(iframe.style.visibility).toBe('')
  })

  test('error: the text for the code, and Retry only where a retry can help', async () => {
    const fetching = setup({ token: undefined, getToken: async () => 't' } as never)
    fetching.states.error(new SsoEmbedError('TOKEN_EXPIRED', 'x'))
    await flush()
    expect(shadowText(fetching.container)).toContain('Your sign-in has expired.')
    state(fetching.container)!.shadowRoot!.querySelector('button')!.click()
    expect(fetching.retry).toHaveBeenCalledOnce()

    const fixed = setup() // a static token: fetching again cannot help
    fixed.states.error(new SsoEmbedError('TOKEN_EXPIRED', 'x'))
    await flush()
    expect(state(fixed.container)!.shadowRoot!.querySelector('[role=alert]')).not.toBeNull()
    expect(state(fixed.container)!.shadowRoot!.querySelector('button')).toBeNull()
  })

  test('loading: false and errorView: false leave the container alone; destroy() removes the view', async () => {
    const off = setup({ loading: false, errorView: false })
    off.states.loading()
    off.states.error(new SsoEmbedError('HANDSHAKE_TIMEOUT', 'x'))
    await flush()
    expect(state(off.container)).toBeNull()
    const on = setup()
    on.states.loading()
    await flush()
    on.states.destroy()
    on.states.loading()
    await flush()
    expect(state(on.container)).toBeNull()
  })

  test('locale and messages choose the texts', async () => {
    const { container, states } = setup({ locale: 'fr-CA', messages: { HANDSHAKE_TIMEOUT: 'Injoignable.' } })
    states.loading()
    await flush()
    expect(shadowText(container)).toContain('Chargement…')
    states.error(new SsoEmbedError('HANDSHAKE_TIMEOUT', 'x'))
    expect(shadowText(container)).toContain('Injoignable.')
  })
})

test('textFor: a code of its own, the shared token-refusal text, else the fallback', () => {
  const en = messagesFor(undefined)
  expect(textFor(en, 'FRAME_BLOCKED_BY_CSP')).toBe("This page's security policy blocks this content.")
  expect(textFor(en, 'BAD_SIGNATURE')).toBe('Your sign-in was refused.')
  expect(textFor(en, 'SOMETHING_NEW')).toBe(en.error)
  expect(messagesFor('xx').loading).toBe('Loading…')
})

test('canRetry: never for the page or platform setup, token failures only with a way to fetch a token', () => {
  expect(canRetry('FRAME_BLOCKED_BY_CSP', true)).toBe(false)
  expect(canRetry('ORIGIN_NOT_ALLOWED', true)).toBe(false)
  expect(canRetry('TOKEN_EXPIRED', false)).toBe(false)
  expect(canRetry('TOKEN_EXPIRED', true)).toBe(true)
  expect(canRetry('TOKEN_UNAVAILABLE', true)).toBe(true)
  expect(canRetry('HANDSHAKE_TIMEOUT', false)).toBe(true)
})
