import { mount } from '@vue/test-utils'
import { createSSRApp, h, nextTick, resolveComponent } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { embeds, fakeConfigure, FRAME, live } from '../../core/test/fake-configure'
import { EmbeddedBuilder, SsoEmbed, type EmbeddedBuilderExposed } from './index'

vi.mock('@sso-embed/core', async (original) => ({ ...(await original<object>()), configure: vi.fn(fakeConfigure) }))

const base = { instanceUrl: 'https://platform.example/embed', token: 'jwt-1' }

afterEach(() => {
  embeds.length = 0
  document.body.replaceChildren()
})

describe('Vue <EmbeddedBuilder>', () => {
  test('mounts one embed with the props; a new token goes through update() without remounting', async () => {
    const wrapper = mount(EmbeddedBuilder, { props: { ...base, path: '/flows', ui: { hideSidebar: true } } })
    expect(embeds).toHaveLength(1)
    expect(embeds[0]!.options).toMatchObject({ ...base, path: '/flows', ui: { hideSidebar: true } })
    expect(embeds[0]!.options).not.toHaveProperty('autoResize') // an absent boolean prop stays absent
    expect(wrapper.findAll(FRAME)).toHaveLength(1)
    await wrapper.setProps({ token: 'jwt-2' })
    expect(embeds).toHaveLength(1)
    expect(embeds[0]!.update).toHaveBeenCalledWith({ token: 'jwt-2' })
  })

  test('other changes go to update(); an equal object changes nothing; a new instanceUrl remounts', async () => {
    const wrapper = mount(EmbeddedBuilder, { props: { ...base, ui: { a: 1 } } })
    await wrapper.setProps({ ui: { a: 1 } })
    expect(embeds[0]!.update).not.toHaveBeenCalled()
    await wrapper.setProps({ ui: { a: 2 }, locale: 'fr' })
    expect(embeds[0]!.update).toHaveBeenCalledWith({ ui: { a: 2 }, locale: 'fr' })
    await wrapper.setProps({ instanceUrl: 'https://other.example/embed' })
    expect(embeds).toHaveLength(2)
    expect(embeds[0]!.destroyed).toBe(true)
    expect(wrapper.findAll(FRAME)).toHaveLength(1)
  })

  test('events are emitted', async () => {
    const wrapper = mount(EmbeddedBuilder, { props: base })
    embeds[0]!.emit('ready', { user: { id: 'u' } })
    embeds[0]!.emit('storageAccess', { status: 'partitioned' })
    expect(wrapper.emitted('ready')).toEqual([[{ user: { id: 'u' } }]])
    expect(wrapper.emitted('storageAccess')).toEqual([[{ status: 'partitioned' }]])
  })

  test('exposes navigate, setToken and the embed to a template ref', () => {
    const wrapper = mount(EmbeddedBuilder, { props: base })
    const exposed = wrapper.vm as unknown as EmbeddedBuilderExposed
    exposed.navigate('/settings')
    exposed.setToken('jwt-3')
    expect(embeds[0]!.navigate).toHaveBeenCalledWith('/settings')
    expect(embeds[0]!.setToken).toHaveBeenCalledWith('jwt-3')
    expect(exposed.embed).toBe(embeds[0])
  })

  test('unmount destroys the embed', () => {
    const wrapper = mount(EmbeddedBuilder, { props: base, attachTo: document.body })
    wrapper.unmount()
    expect(live()).toHaveLength(0)
    expect(document.querySelectorAll(FRAME)).toHaveLength(0)
  })

  test('the plugin registers the component globally', () => {
    // by name only: the component comes from the app's registry, not from an import
    const wrapper = mount({ render: () => h('div', [h(resolveComponent('EmbeddedBuilder'), base)]) }, { global: { plugins: [SsoEmbed] } })
    expect(embeds).toHaveLength(1)
    expect(wrapper.find(FRAME).exists()).toBe(true)
    wrapper.unmount()
  })

  test('server rendering gives a placeholder, which hydrates into the live embed', async () => {
    const app = () => createSSRApp({ render: () => h(EmbeddedBuilder, base) })
    const html = await renderToString(app())
    expect(html).toBe('<div data-sso-embed></div>')
    expect(embeds).toHaveLength(0)
    const root = document.createElement('div')
    root.innerHTML = html
    document.body.append(root)
    const warn = vi.spyOn(console, 'warn')
    const hydrated = app()
    hydrated.mount(root)
    await nextTick()
    expect(warn).not.toHaveBeenCalled()
    expect(root.querySelectorAll(`[data-sso-embed] > ${FRAME}`)).toHaveLength(1)
    hydrated.unmount()
    expect(live()).toHaveLength(0)
  })

  test('#loading and #error slots replace the default views; retry is offered where it helps', async () => {
    const { SsoEmbedError } = await import('@sso-embed/core')
    const wrapper = mount(EmbeddedBuilder, {
      props: { instanceUrl: base.instanceUrl, tokenUrl: '/api/token' },
      slots: {
        loading: () => h('p', { class: 'mine-loading' }, 'Warming up'),
        error: ({ error, retry }: { error: { code: string }; retry?: () => void }) =>
          h('button', { class: 'mine-error', onClick: retry, disabled: !retry }, error.code),
      },
    })
    expect(embeds[0]!.options).toMatchObject({ loading: false, errorView: false })
    expect(wrapper.find('.mine-loading').text()).toBe('Warming up')
    embeds[0]!.emit('authenticated', { user: { id: 'u' } })
    await nextTick()
    expect(wrapper.find('.mine-loading').exists()).toBe(false)
    embeds[0]!.state = 'error'
    embeds[0]!.emit('error', new SsoEmbedError('TOKEN_UNAVAILABLE', 'x'))
    await nextTick()
    expect(wrapper.find('.mine-error').text()).toBe('TOKEN_UNAVAILABLE')
    await wrapper.find('.mine-error').trigger('click')
    expect(embeds[0]!.retry).toHaveBeenCalledOnce()
    expect(wrapper.find('.mine-loading').exists()).toBe(true)
    expect(wrapper.findAll(FRAME)).toHaveLength(1)
  })
})
