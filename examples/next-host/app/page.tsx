// The host page, a server component: it renders <EmbeddedBuilder> (a client component: the package's
// files carry 'use client') with the platform's address read on the server at request time, and the
// token route (app/api/token/route.ts) as its token URL. Environment: PLATFORM_URL (the platform's
// embed page, e.g. http://127.0.0.1:3001/embed/).
import { EmbeddedBuilder } from '@sso-embed/react'
import { connection } from 'next/server'

export default async function Page() {
  // rendered per request, so PLATFORM_URL is read when the server runs, not when it is built
  await connection()
  const instanceUrl = process.env['PLATFORM_URL']
  if (!instanceUrl) throw new Error('PLATFORM_URL is not set')
  return (
    <main>
      <h1>Acme CRM (Next.js)</h1>
      <EmbeddedBuilder instanceUrl={instanceUrl} account="acme" tokenUrl="/api/token" style={{ minHeight: 400 }} />
    </main>
  )
}
