import { act, cleanup, render } from '@testing-library/react'
import { createElement, createRef, StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { hydrateRoot } from 'react-dom/client'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { embeds, fakeConfigure, FRAME, live } from '../../core/test/fake-configure'
import { EmbeddedBuilder, type EmbeddedBuilderHandle } from './index'

vi.mock('@sso-embed/core', async (original) => ({ ...(await original<object>()), configure: vi.fn(fakeConfigure) }))

const base = { instanceUrl: 'https://platform.example/embed', token: 'jwt-1' }

afterEach(() => {
  cleanup()
  embeds.length = 0
})

describe('<EmbeddedBuilder>', () => {
  test('mounts one embed with the props as options; a new token calls setToken without remounting', () => {
    const view = render(createElement(EmbeddedBuilder, { ...base, path: '/flows', ui: { hideSidebar: true } }))
    expect(embeds).toHaveLength(1)
    expect(embeds[0]!.options).toMatchObject({ ...base, path: '/flows', ui: { hideSidebar: true } })
    expect(view.container.querySelectorAll(FRAME)).toHaveLength(1)
    view.rerender(createElement(EmbeddedBuilder, { ...base, token: 'jwt-2', path: '/flows', ui: { hideSidebar: true } }))
    expect(embeds).toHaveLength(1)
    expect(embeds[0]!.update).toHaveBeenCalledWith({ token: 'jwt-2' })
  })

  test('other changed props go to update(); an equal object literal changes nothing; a new instanceUrl remounts', () => {
    const view = render(createElement(EmbeddedBuilder, { ...base, ui: { a: 1 } }))
    view.rerender(createElement(EmbeddedBuilder, { ...base, ui: { a: 1 } }))
    expect(embeds[0]!.update).not.toHaveBeenCalled()
    view.rerender(createElement(EmbeddedBuilder, { ...base, ui: { a: 2 }, locale: 'fr' }))
    expect(embeds[0]!.update).toHaveBeenCalledWith({ ui: { a: 2 }, locale: 'fr' })
    view.rerender(createElement(EmbeddedBuilder, { ...base, instanceUrl: 'https://other.example/embed', ui: { a: 2 }, locale: 'fr' }))
    expect(embeds).toHaveLength(2)
    expect(embeds[0]!.destroyed).toBe(true)
    expect(live()).toHaveLength(1)
    expect(view.container.querySelectorAll(FRAME)).toHaveLength(1)
  })

  test('events reach the latest on… props', () => {
    const first = vi.fn()
    const second = vi.fn()
    const view = render(createElement(EmbeddedBuilder, { ...base, onReady: first }))
    view.rerender(createElement(EmbeddedBuilder, { ...base, onReady: second, onNavigate: first }))
    act(() => {
      embeds[0]!.emit('ready', { user: { id: 'u' } })
      embeds[0]!.emit('navigate', { path: '/x' })
    })
    expect(second).toHaveBeenCalledWith({ user: { id: 'u' } })
    expect(first).toHaveBeenCalledOnce()
    expect(first).toHaveBeenCalledWith({ path: '/x' })
  })

  test('a ref exposes navigate, setToken and the embed', () => {
    const ref = createRef<EmbeddedBuilderHandle>()
    render(createElement(EmbeddedBuilder, { ...base, ref }))
    ref.current!.navigate('/settings')
    ref.current!.setToken('jwt-3')
    expect(embeds[0]!.navigate).toHaveBeenCalledWith('/settings')
    expect(embeds[0]!.setToken).toHaveBeenCalledWith('jwt-3')
    expect(ref.current!.embed).toBe(embeds[0])
  })

  test('under StrictMode: one iframe; unmount destroys every embed', () => {
    const view = render(createElement(StrictMode, null, createElement(EmbeddedBuilder, base)))
    expect(view.container.querySelectorAll(FRAME)).toHaveLength(1)
    expect(live()).toHaveLength(1)
    view.unmount()
    expect(live()).toHaveLength(0)
    expect(document.querySelectorAll(FRAME)).toHaveLength(0)
  })

  test('server rendering gives a placeholder, which hydrates into the live embed', async () => {
    const html = renderToString(createElement(EmbeddedBuilder, { ...base, className: 'builder' }))
    expect(html).toBe('<div class="builder" data-sso-embed=""></div>')
    expect(embeds).toHaveLength(0)
    const root = document.createElement('div')
    root.innerHTML = html
    document.body.append(root)
    const errors = vi.spyOn(console, 'error')
    let hydrated: ReturnType<typeof hydrateRoot> | undefined
    await act(async () => {
      hydrated = hydrateRoot(root, createElement(EmbeddedBuilder, { ...base, className: 'builder' }))
    })
    expect(errors).not.toHaveBeenCalled()
    expect(root.querySelectorAll(`[data-sso-embed] > ${FRAME}`)).toHaveLength(1)
    act(() => hydrated!.unmount())
    expect(live()).toHaveLength(0)
    root.remove()
  })

  test('renderLoading and renderError replace the default views; retry is offered where it helps and remounts', async () => {
    const { SsoEmbedError } = await import('@sso-embed/core')
    const props = {
      instanceUrl: base.instanceUrl,
      tokenUrl: '/api/token',
      renderLoading: () => createElement('p', { className: 'mine-loading' }, 'Warming up'),
      renderError: ({ error, retry }: { error: { code: string }; retry: (() => void) | undefined }) =>
        createElement('button', { type: 'button', className: 'mine-error', onClick: retry, disabled: !retry }, error.code),
    }
    const view = render(createElement(EmbeddedBuilder, props))
    expect(embeds[0]!.options).toMatchObject({ loading: false, errorView: false })
    expect(view.container.querySelector('.mine-loading')?.textContent).toBe('Warming up')
    act(() => embeds[0]!.emit('authenticated', { user: { id: 'u' } }))
    expect(view.container.querySelector('.mine-loading')).toBeNull()
    act(() => {
      embeds[0]!.state = 'error'
      embeds[0]!.emit('error', new SsoEmbedError('TOKEN_UNAVAILABLE', 'x'))
    })
    const button = view.container.querySelector<HTMLButtonElement>('.mine-error')!
    expect(button.textContent).toBe('TOKEN_UNAVAILABLE')
    act(() => button.click())
    expect(embeds[0]!.retry).toHaveBeenCalledOnce()
    expect(view.container.querySelector('.mine-loading')).not.toBeNull()
    // the element holding the iframe was never replaced
    expect(view.container.querySelectorAll(FRAME)).toHaveLength(1)
  })

  test('without render props the defaults stay on (no loading/errorView options)', () => {
    render(createElement(EmbeddedBuilder, base))
    expect(embeds[0]!.options).not.toHaveProperty('loading')
    expect(embeds[0]!.options).not.toHaveProperty('errorView')
  })
})
