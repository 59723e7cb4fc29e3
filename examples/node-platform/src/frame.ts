// The embed page's script: sign in with the host's token and show who is signed in.
import { connectToHost } from '@sso-embed/frame'

const status = document.getElementById('status')!
const host = connectToHost({
  allowedHostOrigins: document.body.dataset['hostOrigins']!.split(','),
  exchange: '/api/embed/exchange',
  basePath: '/embed',
  // every sign-in, also one that follows a failure (the storage-access interstitial's Try again)
  onAuthenticated: (auth) => {
    status.textContent = `signed in as ${auth.user.externalId ?? auth.user.id}`
  },
})
// a failure before the first sign-in
host.ready.catch((error: { code?: string; message: string }) => {
  status.textContent = `${error.code}: ${error.message}`
})
