// The recipes in examples/ work from the published packages: every package is packed, the examples are
// installed from the tarballs (never the workspace's source) into one temporary workspace (one install
// for all), each is type-checked under its own tsconfig (nodenext; bundler for Vite and Next.js) and built
// (`next build` for the Next.js App Router host; the four examples side by side), and a user signs in
// through the script-tag host, the Vue host and the Next.js host, on the Node platform, in Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildPackages, packPackages, root } from '../scripts/pack.mjs'
import { freePort, launchChromium } from './harness'

const EXAMPLES = ['node-platform', 'script-tag', 'vue-host', 'next-host']
const work = mkdtempSync(join(tmpdir(), 'sso-embed-examples-'))
const pnpm = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync('npx', ['--yes', 'pnpm@10', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } })
const children: ChildProcess[] = []
let browser: Browser | undefined
// two sites, as in production: the platform (127.0.0.1) is a third-party frame of the hosts (localhost)
const ports = { platform: 0, script: 0, vue: 0, next: 0 }
const origins = () => ({
  platform: `http://127.0.0.1:${ports.platform}`,
  script: `http://localhost:${ports.script}`,
  vue: `http://localhost:${ports.vue}`,
  next: `http://localhost:${ports.next}`,
})
// Next.js asks to send anonymous telemetry from `next build` and `next start`: never from a test
const nextEnv = { NEXT_TELEMETRY_DISABLED: '1' }
// each example's typecheck and build, started together once the install is done (see buildExample)
const builds = new Map<string, Promise<Step[]>>()

beforeAll(async () => {
  ports.platform = await freePort()
  ports.script = await freePort()
  ports.vue = await freePort()
  ports.next = await freePort()
  // a tarball must be what the source builds to: build, unless pnpm test's check-packages just did
  if (process.env['SSO_EMBED_PACKAGES_BUILT'] !== '1') buildPackages()
  const tarballs = packPackages(join(work, 'packs'))
  for (const name of EXAMPLES)
    cpSync(join(root, 'examples', name), join(work, name), { recursive: true, filter: (src) => !/node_modules|dist|\.next/.test(src) })
  // every @sso-embed/* dependency, direct or transitive, comes from its tarball
  const overrides = Object.fromEntries(tarballs.map(({ name, tarball }) => [name, `file:${tarball}`]))
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'examples', private: true, pnpm: { overrides, onlyBuiltDependencies: ['esbuild'] } }))
  writeFileSync(join(work, 'pnpm-workspace.yaml'), `packages:\n${EXAMPLES.map((name) => `  - ${name}\n`).join('')}`)
  const install = pnpm(['install', '--prefer-offline'], work)
  expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0)
  for (const name of EXAMPLES) builds.set(name, buildExample(name))
}, 600_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all(builds.values())
  // every server has exited (PGlite has closed its files) before its folder is removed
  await Promise.all(children.map(stop))
  rmSync(work, { recursive: true, force: true })
})

for (const name of EXAMPLES) {
  test(`${name}: type-checks under its own tsconfig (nodenext, or bundler for Vite and Next.js) and builds, from the tarballs`, async () => {
    // every @sso-embed package it depends on is installed from its tarball, not linked to the workspace
    const manifest = JSON.parse(readFileSync(join(work, name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    const ours = Object.keys(manifest.dependencies ?? {}).filter((dependency) => dependency.startsWith('@sso-embed/'))
    expect(ours.length).toBeGreaterThan(0)
    for (const dependency of ours) {
      const installed = realpathSync(join(work, name, 'node_modules', dependency)) // throws when it is not installed at all
      expect(installed, dependency).toContain('/.pnpm/')
      expect(installed, dependency).not.toContain(join(root, 'packages'))
    }
    for (const { script, status, output, seconds } of await builds.get(name)!) {
      expect(status, `${name} ${script}\n${output}`).toBe(0)
      console.log(`${name} ${script}: ${seconds.toFixed(1)} s (side by side with the other examples' steps)`)
    }
  }, 300_000)
}

interface Step {
  script: string
  status: number | null
  output: string
  seconds: number
}

/**
 * `pnpm run typecheck`, then `pnpm run build` in one example (stopping at a failure), without blocking:
 * the four examples' steps run side by side, so `next build`, the longest, overlaps the others' `tsc`.
 */
async function buildExample(name: string): Promise<Step[]> {
  const steps: Step[] = []
  for (const script of ['typecheck', 'build']) {
    const started = performance.now()
    // the Vue page learns the platform's address at build time (the Next.js page when it is served)
    const child = spawn('npx', ['--yes', 'pnpm@10', 'run', script], {
      cwd: join(work, name),
      env: { ...process.env, ...nextEnv, VITE_PLATFORM_URL: `${origins().platform}/embed/` },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const status = await new Promise<number | null>((resolve) => {
      child.on('error', (error) => {
        output += String(error)
        resolve(null)
      })
      child.on('close', resolve)
    })
    steps.push({ script, status, output, seconds: (performance.now() - started) / 1000 })
    if (status !== 0) break
  }
  return steps
}

/** Starts a built example (`command`) and waits until its output matches `ready` (by default: its first line). */
function start(name: string, command: string[], env: Record<string, string>, ready = /./) {
  const child = spawn(command[0]!, command.slice(1), { cwd: join(work, name), env: { ...process.env, ...env } })
  children.push(child)
  let output = ''
  return new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk
      if (ready.test(output)) resolve()
    })
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)))
  })
}

/** Stops a started example and waits for it to exit. */
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill()
  })

// The platform, the three hosts (each host's origin registered on the platform) and Chromium, started
// once by the first sign-in test that runs.
let servers: Promise<Browser> | undefined
function startServers(): Promise<Browser> {
  servers ??= (async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    })
    const { platform, script, vue, next } = origins()
    const kid = 'example-host-key'
    const host = { HOST_PRIVATE_KEY: privateKey, HOST_KID: kid }
    await Promise.all([
      start('node-platform', ['node', 'dist/server.js'], {
        PORT: String(ports.platform),
        PLATFORM_ORIGIN: platform,
        HOST_ORIGINS: `${script},${vue},${next}`,
        HOST_PUBLIC_KEY: publicKey,
        HOST_KID: kid,
        DATA_DIR: join(work, 'platform-db'),
      }),
      start('script-tag', ['node', 'dist/server.js'], { ...host, PORT: String(ports.script), PLATFORM_URL: `${platform}/embed/` }),
      start('vue-host', ['node_modules/.bin/vite', 'preview', '--port', String(ports.vue), '--strictPort', '--host', 'localhost'], host),
      // the Next.js page reads PLATFORM_URL on the server, per request; its banner comes before it is ready
      start(
        'next-host',
        ['node_modules/.bin/next', 'start', '-p', String(ports.next), '-H', 'localhost'],
        { ...host, ...nextEnv, PLATFORM_URL: `${platform}/embed/` },
        /Ready in/,
      ),
    ])
    return (browser = await launchChromium())
  })()
  return servers
}

const HOSTS = [
  ['the script-tag host', 'script'],
  ['the Vue host', 'vue'],
  ['the Next.js App Router host (a route handler signs, a server component renders <EmbeddedBuilder>)', 'next'],
] as const

for (const [label, key] of HOSTS) {
  test(`a user signs in through ${label}, on the Node platform (PGlite), in Chromium`, async () => {
    const browser = await startServers()
    const { platform, [key]: hostOrigin } = origins()
    const page = await browser.newPage()
    try {
      await page.goto(`${hostOrigin}/`)
      await expect.poll(() => page.frames().some((frame) => frame.url().startsWith(platform)), { timeout: 20_000 }).toBe(true)
      const frame = page.frames().find((f) => f.url().startsWith(platform))!
      await expect.poll(() => frame.locator('#status').textContent(), { timeout: 30_000, message: hostOrigin }).toBe('signed in as ada')
    } finally {
      await page.close()
    }
  }, 150_000)
}
