import { configure, SsoEmbedError, type Embed, type EmbedEvents, type EmbedOptions } from '@sso-embed/core'
import { canRetry, changedOptions, EMBED_EVENTS, followView, type EmbedView } from '@sso-embed/core/wrapper'
import { defineComponent, h, onBeforeUnmount, onMounted, ref, shallowRef, watch, type PropType } from 'vue'

/** What the component exposes to a template ref. */
export interface EmbeddedBuilderExposed {
  navigate(path: string): void
  setToken(token: string): void
  /** Runs one of the platform's commands (see `embed.send`); rejects `DESTROYED` before mounting. */
  send(name: string, payload: unknown): Promise<unknown>
  /** The embed itself, e.g. for `embed.on('platform:<name>', …)`. */
  readonly embed: Embed | undefined
}

// booleans default to undefined (Vue's default is false), so core's own defaults apply
const optionalBoolean = { type: Boolean, default: undefined }

/**
 * The embedded platform as a Vue 3 component: every option of `configure()` is a prop, every event an
 * emit (`@ready`, `@authenticated`, `@error`, `@navigate`, `@resize`, `@storage-access`, …). A changed
 * `token` signs in again without reloading the iframe; other changes go to `embed.update()`; a changed
 * `instanceUrl`, `transport` or `storage` mounts a new embed; unmounting destroys it. Slots `#loading`
 * (until signed in) and `#error="{ error, retry }"` (when the embed failed; `retry` only where it helps)
 * replace the default views.
 */
export const EmbeddedBuilder = defineComponent({
  name: 'EmbeddedBuilder',
  props: {
    instanceUrl: { type: String, required: true },
    account: String,
    token: String,
    getToken: Function as PropType<() => Promise<string>>,
    tokenUrl: String,
    path: String,
    transport: String as PropType<EmbedOptions['transport']>,
    storage: String as PropType<EmbedOptions['storage']>,
    autoResize: optionalBoolean,
    minHeight: Number,
    timeout: Number,
    debug: optionalBoolean,
    ui: Object as PropType<EmbedOptions['ui']>,
    locale: String,
    theme: [String, Object] as PropType<EmbedOptions['theme']>,
    iframe: Object as PropType<EmbedOptions['iframe']>,
    messages: Object as PropType<EmbedOptions['messages']>,
  },
  emits: EMBED_EVENTS as unknown as { [K in keyof EmbedEvents]: (payload: EmbedEvents[K]) => true },
  setup(props, { emit, expose, slots }) {
    const view = shallowRef<EmbedView>({ kind: 'loading' })
    let unfollow = () => {}
    const element = ref<HTMLElement>()
    const embed = shallowRef<Embed>()
    let applied: Omit<EmbedOptions, 'container'> = {} as never
    const options = () => {
      const defined: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(props)) if (value !== undefined) defined[key] = value
      return defined as Omit<EmbedOptions, 'container'>
    }
    const mount = () => {
      applied = options()
      const current = configure({
        ...applied,
        container: element.value!,
        ...(slots['loading'] && { loading: false }),
        ...(slots['error'] && { errorView: false }),
      })
      unfollow()
      if (slots['loading'] || slots['error']) unfollow = followView(current, (next) => (view.value = next))
      for (const name of EMBED_EVENTS) current.on(name, (payload) => (emit as (event: string, payload: unknown) => void)(name, payload))
      embed.value = current
    }
    onMounted(mount)
    watch(options, (next) => {
      if (!embed.value) return
      const { remount, changes } = changedOptions(applied, next)
      if (remount) {
        embed.value.destroy()
        return mount()
      }
      applied = next
      if (changes) embed.value.update(changes)
    })
    onBeforeUnmount(() => embed.value?.destroy())
    expose({
      navigate: (path: string) => embed.value?.navigate(path),
      setToken: (token: string) => embed.value?.setToken(token),
      send: (name: string, payload: unknown) => (embed.value ? embed.value.send(name, payload) : Promise.reject(new SsoEmbedError('DESTROYED', 'Not mounted'))),
      get embed() {
        return embed.value
      },
    } satisfies EmbeddedBuilderExposed)
    const retry = () => {
      embed.value?.retry()
      view.value = { kind: 'loading' }
    }
    return () => {
      const now = view.value
      const custom =
        now.kind === 'loading'
          ? slots['loading']?.()
          : now.kind === 'error'
            ? slots['error']?.({ error: now.error, retry: canRetry(now.error.code, !!(props.getToken || props.tokenUrl)) ? retry : undefined })
            : undefined
      // a slot covers the box while the iframe, still mounted, keeps signing in under it; the root element
      // never changes, so the iframe core put in it stays
      if (!custom) return h('div', { ref: element, 'data-sso-embed': '' })
      return h('div', { ref: element, 'data-sso-embed': '', style: { position: 'relative' } }, [
        h('div', { 'data-sso-embed-slot': now.kind, style: { position: 'absolute', inset: '0', zIndex: 1 } }, custom),
      ])
    }
  },
})
