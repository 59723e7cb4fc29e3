// Installs Debian packages the tests need when they are missing (CI starts from a clean machine):
// as root directly, else through passwordless sudo; otherwise a clear error says what to install.
import { execFileSync, spawnSync } from 'node:child_process'

export const isInstalled = (name) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status === 0

export function ensureDebianPackages(packages, why) {
  const missing = packages.filter((name) => !isInstalled(name))
  if (!missing.length) return
  const root = process.getuid?.() === 0
  const sudo = root ? [] : ['sudo', '-n']
  if (!root && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(`${why} needs ${missing.join(', ')}, and this user cannot install them: run \`sudo apt-get install -y ${missing.join(' ')}\``)
  }
  console.log(`Installing Debian's ${missing.join(', ')} for ${why} (once)…`)
  const run = (args) => execFileSync(args[0], args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 900_000 })
  run([...sudo, 'apt-get', 'update', '-qq'])
  run([...sudo, 'apt-get', 'install', '-y', '-qq', ...missing])
}
