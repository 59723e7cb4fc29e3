import { SsoEmbed } from '@sso-embed/vue'
import { createApp, h, resolveComponent } from 'vue'
import { instanceUrl, log, tokenUrl } from './wrapper-page'

createApp({
  render: () =>
    // the component the plugin registered, by name, as a template would use it
    h(resolveComponent('EmbeddedBuilder'), {
      instanceUrl,
      tokenUrl,
      iframe: { title: 'Demo platform' },
      onReady: (auth: unknown) => log('ready', auth),
      onNavigate: (event: unknown) => log('navigate', event),
      onStorageAccess: (report: unknown) => log('storageAccess', report),
      onError: (error: { code: string; message: string }) => log('error', { code: error.code, message: error.message }),
    }),
})
  .use(SsoEmbed)
  .mount('#root')
