// Vue 3: register the component with the plugin, then use <EmbeddedBuilder> in any template.
import { SsoEmbed } from '@sso-embed/vue'
import { createApp, defineComponent, h, ref, resolveComponent } from 'vue'

const App = defineComponent({
  setup() {
    const jwt = ref('')
    void fetch('/api/embed-token').then(async (response) => (jwt.value = await response.text()))
    return () =>
      jwt.value &&
      h(resolveComponent('EmbeddedBuilder'), {
        instanceUrl: 'https://platform.example.com/embed',
        token: jwt.value,
        onReady: ({ user }: { user: { name?: string } }) => console.log('signed in as', user.name),
      })
  },
})

createApp(App).use(SsoEmbed).mount('#app')
