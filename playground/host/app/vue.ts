import { EmbeddedBuilder, SsoEmbed } from '@sso-embed/vue'
import { createApp, h } from 'vue'
import { instanceUrl, log, tokenUrl } from './wrapper-page'

createApp({
  render: () =>
    h(EmbeddedBuilder, {
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
