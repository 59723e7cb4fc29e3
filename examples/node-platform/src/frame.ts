// The embed page's script: sign in with the host's token and show who is signed in.
import { connectToHost } from '@sso-embed/frame'

const status = document.getElementById('status')!
const host = connectToHost({
  allowedHostOrigins: document.body.dataset['hostOrigins']!.split(','),
  exchange: '/api/embed/exchange',
  basePath: '/embed',
})
host.ready.then(
  (auth) => {
    status.textContent = `signed in as ${auth.user.externalId ?? auth.user.id}`
  },
  (error: { code?: string; message: string }) => {
    status.textContent = `${error.code}: ${error.message}`
  },
)
