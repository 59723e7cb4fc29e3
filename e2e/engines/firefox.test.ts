// Firefox ESR in the cross-engine matrix: each cookieBehavior, plus Total Cookie Protection with the
// user's storage-access grant stored beforehand.
import { firefoxEngine, firefoxModes } from './firefox'
import { engineMatrix } from './matrix'

const unanswered = ['prompt', 'denied', 'popup', 'denied']

engineMatrix(firefoxModes, firefoxEngine, {
  'allow-all': { require: { steps: [], outcome: 'ready' } },
  tcp: { require: { steps: unanswered, outcome: 'STORAGE_ACCESS_DENIED', because: "automation cannot answer Firefox's storage-access prompt (it stays pending)" } },
  // Firefox applies the stored grant when the frame loads: first-party cookies from the start, no prompt
  'tcp-granted': { require: { steps: [], outcome: 'ready' } },
  strict: { require: { steps: unanswered, outcome: 'STORAGE_ACCESS_DENIED', because: 'cookieBehavior 1 rejects requestStorageAccess(), also after a first-party visit' } },
})
