// Finds Debian's Chromium for the browser tests, installing the `chromium` package when it is missing.
// Nothing here downloads a browser of its own: only Debian's package is used.
import { existsSync } from 'node:fs'
import { ensureDebianPackages } from './debian.mjs'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function ensureChromium() {
  if (existsSync(chromiumPath)) return chromiumPath
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${chromiumPath} does not exist`)
  ensureDebianPackages(['chromium'], 'the browser tests (or set CHROMIUM_PATH)')
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium but ${chromiumPath} is still missing`)
  return chromiumPath
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureChromium())
