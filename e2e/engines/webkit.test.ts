// WebKitGTK's MiniBrowser in the cross-engine matrix: cookies always accepted, third-party blocked (its
// default), and with Intelligent Tracking Prevention on.
import { engineMatrix } from './matrix'
import { webkitEngine, webkitModes } from './webkit'

// WebKit does not implement the Storage Access Headers: it sends none, so the platform never activates a
// grant and the require flow is the fallback (the interstitial and requestStorageAccess())
const none = { navigation: null, exchange: null }

engineMatrix(webkitModes, webkitEngine, {
  always: { require: { steps: [], outcome: 'ready' }, hostExchange: [null], headers: none },
  'no-third-party': {
    require: {
      steps: ['prompt', 'denied'],
      outcome: 'STORAGE_ACCESS_DENIED',
      because: 'WebKit grants at once with ITP off but keeps third-party cookies blocked: a grant that does not work is a denial',
    },
    hostExchange: [null],
    headers: none,
  },
  itp: {
    require: {
      steps: ['prompt', 'denied', 'popup', 'denied'],
      outcome: 'STORAGE_ACCESS_DENIED',
      because: 'after the first-party visit WebKit asks in an info bar outside the page, which WebDriver cannot answer',
    },
    hostExchange: [null],
    headers: none,
  },
})
