// Chromium in the cross-engine matrix (over HTTPS; the http suites beside this folder cover the rest).
import { chromiumEngine, chromiumModes } from './chromium'
import { engineMatrix } from './matrix'

const unanswered = ['prompt', 'denied', 'popup', 'denied']

engineMatrix(chromiumModes, chromiumEngine, {
  allowed: { require: { steps: [], outcome: 'ready' } },
  blocked: { require: { steps: unanswered, outcome: 'STORAGE_ACCESS_DENIED', because: 'headless Chromium shows no prompt to answer: requestStorageAccess() never settles' } },
  granted: { require: { steps: ['prompt', 'granted'], outcome: 'ready' } },
})
