// Finds Debian's Chromium for the browser tests, installing the `chromium` package when it is missing.
// Nothing here downloads a browser of its own: only Debian's package is used.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function ensureChromium() {
  if (existsSync(chromiumPath)) return chromiumPath
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${chromiumPath} does not exist`)
  const root = process.getuid?.() === 0
  const sudo = root ? [] : ['sudo', '-n']
  if (!root && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error('Chromium is missing and this user cannot install it: run `sudo apt-get install -y chromium`, or set CHROMIUM_PATH')
  }
  console.log('Installing Debian\'s chromium package for the browser tests (once)…')
  const run = (args) => execFileSync(args[0], args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  run([...sudo, 'apt-get', 'update'])
  run([...sudo, 'apt-get', 'install', '-y', 'chromium'])
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium but ${chromiumPath} is still missing`)
  return chromiumPath
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureChromium())
