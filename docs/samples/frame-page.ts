// Platform page inside the iframe: receive the token, exchange it, keep the session.
import { connectToHost } from '@sso-embed/frame'

const host = connectToHost({
  allowedHostOrigins: ['https://app.acme.com'],
  exchange: '/api/embed/exchange', // also resumes from /api/embed/session after a reload
  basePath: '/embed',
  storage: 'auto', // or 'require' for the Storage Access API flow
  storageAccess: { appName: 'Acme Builder' },
})
const auth = await host.ready
const flows = await (await host.fetch('/api/flows')).json() // bearer session, same origin only
console.log(auth.user, flows)
