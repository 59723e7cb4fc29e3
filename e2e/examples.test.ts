// The recipes in examples/ work from the published packages: every package is packed, the examples are
// installed from the tarballs (never the workspace's source) into one temporary workspace (one install
// for all), each is type-checked under its own tsconfig (nodenext) and built, and a user signs in
// through the script-tag host and the Node platform in Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildPackages, packPackages, root } from '../scripts/pack.mjs'
import { launchChromium } from './harness'

const EXAMPLES = ['node-platform', 'script-tag']
const work = mkdtempSync(join(tmpdir(), 'sso-embed-examples-'))
const pnpm = (args: string[], cwd: string) => spawnSync('npx', ['--yes', 'pnpm@10', ...args], { cwd, encoding: 'utf8' })
const children: ChildProcess[] = []
let browser: Browser | undefined

beforeAll(() => {
  // a tarball must be what the source builds to: build, unless pnpm test's check-packages just did
  if (process.env['SSO_EMBED_PACKAGES_BUILT'] !== '1') buildPackages()
  const tarballs = packPackages(join(work, 'packs'))
  for (const name of EXAMPLES) cpSync(join(root, 'examples', name), join(work, name), { recursive: true, filter: (src) => !/node_modules|dist/.test(src) })
  // every @sso-embed/* dependency, direct or transitive, comes from its tarball
  const overrides = Object.fromEntries(tarballs.map(({ name, tarball }) => [name, `file:${tarball}`]))
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'examples', private: true, pnpm: { overrides, onlyBuiltDependencies: ['esbuild'] } }))
  writeFileSync(join(work, 'pnpm-workspace.yaml'), `packages:\n${EXAMPLES.map((name) => `  - ${name}\n`).join('')}`)
  const install = pnpm(['install', '--prefer-offline'], work)
  expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0)
}, 600_000)

afterAll(async () => {
  await browser?.close()
  for (const child of children) child.kill()
  rmSync(work, { recursive: true, force: true })
})

for (const name of EXAMPLES) {
  test(`${name}: type-checks under its own tsconfig (nodenext) and builds, from the tarballs`, () => {
    const dir = join(work, name)
    // installed from a tarball, not linked to the workspace
    expect(spawnSync('readlink', ['-f', join(dir, 'node_modules', '@sso-embed', 'server')], { encoding: 'utf8' }).stdout).not.toContain(join(root, 'packages'))
    for (const script of ['typecheck', 'build']) {
      const result = pnpm(['run', script], dir)
      expect(result.status, `${name} ${script}\n${result.stdout}\n${result.stderr}`).toBe(0)
    }
  }, 180_000)
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** Starts `node dist/server.js` in an example and waits for its first line of output. */
function start(name: string, env: Record<string, string>) {
  const child = spawn('node', ['dist/server.js'], { cwd: join(work, name), env: { ...process.env, ...env } })
  children.push(child)
  let output = ''
  return new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk
      resolve()
    })
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)))
  })
}

test('a user signs in through the script-tag host and the Node platform (PGlite), in Chromium', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
  const [hostPort, platformPort] = await Promise.all([freePort(), freePort()])
  // two sites, as in production: the platform is a third-party frame
  const hostOrigin = `http://localhost:${hostPort}`
  const platformOrigin = `http://127.0.0.1:${platformPort}`
  const kid = 'example-host-key'
  await Promise.all([
    start('node-platform', { PORT: String(platformPort), PLATFORM_ORIGIN: platformOrigin, HOST_ORIGIN: hostOrigin, HOST_PUBLIC_KEY: publicKey, HOST_KID: kid, DATA_DIR: join(work, 'platform-db') }),
    start('script-tag', { PORT: String(hostPort), PLATFORM_URL: `${platformOrigin}/embed/`, HOST_PRIVATE_KEY: privateKey, HOST_KID: kid }),
  ])
  browser = await launchChromium()
  const page = await browser.newPage()
  await page.goto(`${hostOrigin}/`)
  await expect.poll(() => page.frames().some((frame) => frame.url().startsWith(platformOrigin)), { timeout: 20_000 }).toBe(true)
  const frame = page.frames().find((f) => f.url().startsWith(platformOrigin))!
  await expect.poll(() => frame.locator('#status').textContent(), { timeout: 30_000 }).toBe('signed in as ada')
}, 120_000)
