// The host page: <EmbeddedBuilder> with a token from the host backend (/api/token).
import { EmbeddedBuilder } from '@sso-embed/vue'
import { createApp, defineComponent, h } from 'vue'

const App = defineComponent({
  setup() {
    return () =>
      h(EmbeddedBuilder, {
        instanceUrl: import.meta.env.VITE_PLATFORM_URL,
        account: 'acme',
        tokenUrl: '/api/token',
        onError: (error: { code: string; message: string }) => console.error(error.code, error.message),
      })
  },
})

createApp(App).mount('#app')
