// Chromium in the cross-engine matrix (over HTTPS; the http suites beside this folder cover the rest).
import { chromiumEngine, chromiumModes } from './chromium'
import { engineMatrix } from './matrix'

const unanswered = ['prompt', 'denied', 'popup', 'denied']

engineMatrix(chromiumModes, chromiumEngine, {
  // with third-party cookies allowed, Chromium reports the platform's cookies as in use already
  allowed: { require: { steps: [], outcome: 'ready' }, hostExchange: ['active'], headers: { navigation: 'active', exchange: 'active' } },
  blocked: {
    require: {
      steps: unanswered,
      outcome: 'STORAGE_ACCESS_DENIED',
      because: 'headless Chromium shows no prompt to answer: requestStorageAccess() never settles',
    },
    hostExchange: ['none'],
    headers: { navigation: 'none', exchange: 'none' },
  },
  // the grant is there but inactive: in a 'require' embed the page's Activate-Storage-Access: load makes it
  // active from the start; an 'auto' embed leaves it inactive
  granted: {
    require: { steps: [], outcome: 'ready' },
    // the host's own exchange: inactive, the endpoint's retry, sent again active
    hostExchange: ['inactive', 'active'],
    headers: { navigation: 'inactive', exchange: 'inactive' },
    // without the header the frame asks, and the browser grants at once
    withoutHeaders: { steps: ['prompt', 'granted'], outcome: 'ready' },
  },
})
