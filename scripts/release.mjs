// The release flow (see .changeset/README.md):
//   node scripts/release.mjs version   changeset version → SDK_VERSION → build sso-embed.js → the docs' CDN snippet
//   node scripts/release.mjs verify    the docs' snippet names this version and the integrity of dist/sso-embed.js as built
//   node scripts/release.mjs publish   build + check-packages + verify, then changeset publish
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const element = join(root, 'packages', 'element')
const versionFile = join(root, 'packages', 'protocol', 'src', 'version.ts')
const docs = join(root, 'docs')
const bin = (name) => join(root, 'node_modules', '.bin', name)

/** The script tag as the docs show it: jsDelivr URL of one version, and that file's SRI hash. */
export const SNIPPET = /https:\/\/cdn\.jsdelivr\.net\/npm\/@sso-embed\/element@([^/]+)\/dist\/sso-embed\.js" integrity="(sha384-[A-Za-z0-9+/=]+)"/g

const step = (command, args, cwd = root) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`)
}
const version = () => JSON.parse(readFileSync(join(element, 'package.json'), 'utf8')).version
const integrity = () =>
  `sha384-${createHash('sha384')
    .update(readFileSync(join(element, 'dist', 'sso-embed.js')))
    .digest('base64')}`
const pages = () =>
  readdirSync(docs, { recursive: true })
    .filter((file) => String(file).endsWith('.md') && !String(file).startsWith('api'))
    .map((file) => join(docs, String(file)))

/** Every snippet in docs/**.md: `{ file, version, integrity }`. */
export function snippets() {
  return pages().flatMap((file) => [...readFileSync(file, 'utf8').matchAll(SNIPPET)].map((m) => ({ file, version: m[1], integrity: m[2] })))
}

function syncSdkVersion() {
  const text = readFileSync(versionFile, 'utf8')
  const next = text.replace(/export const SDK_VERSION = '[^']*'/, `export const SDK_VERSION = '${version()}'`)
  if (!/export const SDK_VERSION = '/.test(text)) throw new Error(`${versionFile} has no SDK_VERSION`)
  writeFileSync(versionFile, next)
}

function writeSnippets() {
  const hash = integrity()
  let count = 0
  for (const file of pages()) {
    const text = readFileSync(file, 'utf8')
    const next = text.replace(SNIPPET, () => {
      count++
      return `https://cdn.jsdelivr.net/npm/@sso-embed/element@${version()}/dist/sso-embed.js" integrity="${hash}"`
    })
    if (next !== text) writeFileSync(file, next)
  }
  if (count === 0) throw new Error('no CDN snippet of sso-embed.js in docs/')
}

function verify() {
  const found = snippets()
  const hash = integrity()
  const stale = found.filter((s) => s.version !== version() || s.integrity !== hash)
  if (found.length === 0 || stale.length > 0) {
    throw new Error(
      `the docs' script tag does not match the built sso-embed.js ${version()} (${hash}): ${JSON.stringify(stale)}; run node scripts/release.mjs version`,
    )
  }
  console.log(`docs' script tag: sso-embed.js ${version()} ${hash}`)
}

const command = process.argv[2]
if (import.meta.url === `file://${process.argv[1]}`) {
  if (command === 'version') {
    step(bin('changeset'), ['version'])
    syncSdkVersion()
    step(bin('vite'), ['build', '--config', 'vite.bundle.config.ts'], element)
    writeSnippets()
  } else if (command === 'verify') verify()
  else if (command === 'publish') {
    step('node', [join(root, 'scripts', 'check-packages.mjs')])
    verify()
    step(bin('changeset'), ['publish'])
  } else {
    console.error('usage: node scripts/release.mjs version | verify | publish')
    process.exit(2)
  }
}
