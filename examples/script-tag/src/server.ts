// A host: index.html (the script tag and <sso-embed>), sso-embed.js from the installed package, and the
// backend route that signs a token for the logged-in user. Environment: PORT, PLATFORM_URL (the
// platform's embed page, e.g. http://127.0.0.1:3001/embed/), HOST_PRIVATE_KEY (PEM), HOST_KID.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { signEmbedToken } from '@sso-embed/server'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}
const page = readFileSync(new URL('../index.html', import.meta.url), 'utf8').replace('%PLATFORM_URL%', env('PLATFORM_URL'))
// the script as a CDN serves it: the package's own file
const script = readFileSync(fileURLToPath(import.meta.resolve('@sso-embed/element/sso-embed.js')))

createServer(async (req, res) => {
  if (req.url === '/api/token') {
    // your session decides who this is; the example has one user
    const token = await signEmbedToken(
      { version: 'v3', externalUserId: 'ada', externalProjectId: 'team-1', firstName: 'Ada', lastName: 'Lovelace', role: 'EDITOR' },
      { privateKey: env('HOST_PRIVATE_KEY'), kid: env('HOST_KID'), alg: 'RS256', expiresIn: '5m' },
    )
    res.writeHead(200, { 'content-type': 'text/plain' })
    return res.end(token)
  }
  if (req.url === '/sso-embed.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' })
    return res.end(script)
  }
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    return res.end(page)
  }
  res.writeHead(404).end()
}).listen(Number(env('PORT')), () => console.log(`host on port ${env('PORT')}`))
