import { EmbeddedBuilder } from '@sso-embed/react'
import { createElement, StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { instanceUrl, log, tokenUrl } from './wrapper-page'

createRoot(document.getElementById('root')!).render(
  createElement(
    StrictMode,
    null,
    createElement(EmbeddedBuilder, {
      instanceUrl,
      tokenUrl,
      iframe: { title: 'Demo platform' },
      onReady: (auth) => log('ready', auth),
      onNavigate: (event) => log('navigate', event),
      onStorageAccess: (report) => log('storageAccess', report),
      onError: (error) => log('error', { code: error.code, message: error.message }),
    }),
  ),
)
