// Firefox ESR in the cross-engine matrix: each cookieBehavior, Total Cookie Protection with the user's
// storage-access grant stored beforehand (for the host page, or for the frame), and the Storage Access
// Headers with their pref on and off.
import { firefoxEngine, firefoxModes } from './firefox'
import { engineMatrix } from './matrix'

const unanswered = ['prompt', 'denied', 'popup', 'denied']
const off = { navigation: null, exchange: null } // dom.storage_access.headers.enabled is off by default in 153 ESR
// the frame grant the rig stores (3rdPartyFrameStorage, which the headers and permissions.query() see as granted)
// is not one Firefox 153 lets requestStorageAccess() use: it rejects (NotAllowedError), also after the popup
const scriptRejectsFrameGrant = {
  steps: unanswered,
  outcome: 'STORAGE_ACCESS_DENIED',
  because: 'Firefox 153 rejects requestStorageAccess() for the stored frame grant: only Activate-Storage-Access activates it',
} as const

engineMatrix(firefoxModes, firefoxEngine, {
  'allow-all': { require: { steps: [], outcome: 'ready' }, hostExchange: [null], headers: off },
  tcp: {
    require: { steps: unanswered, outcome: 'STORAGE_ACCESS_DENIED', because: "automation cannot answer Firefox's storage-access prompt (it stays pending)" },
    hostExchange: [null],
    headers: off,
  },
  // Firefox applies a grant stored for the host page when the frame loads: first-party cookies from the start, no prompt
  'tcp-granted': { require: { steps: [], outcome: 'ready' }, hostExchange: [null], headers: off },
  // a frame grant stays inactive until activated: the embed page's Activate-Storage-Access: load does it, no prompt
  'tcp-returning': {
    require: { steps: [], outcome: 'ready' },
    // the host's own exchange: inactive, the endpoint's retry, sent again active
    hostExchange: ['inactive', 'active'],
    headers: { navigation: 'inactive', exchange: 'inactive' }, // an 'auto' embed: nothing activated
    withoutHeaders: { ...scriptRejectsFrameGrant, steps: [...unanswered] },
  },
  'tcp-returning-no-headers': { require: { ...scriptRejectsFrameGrant, steps: [...unanswered] }, hostExchange: [null], headers: off },
  strict: {
    require: {
      steps: unanswered,
      outcome: 'STORAGE_ACCESS_DENIED',
      because: 'cookieBehavior 1 rejects requestStorageAccess(), also after a first-party visit',
    },
    hostExchange: [null],
    headers: off,
  },
})
