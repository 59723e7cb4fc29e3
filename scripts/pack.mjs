// Builds every package and packs it with `pnpm pack` (workspace:* ranges become real versions, as
// `pnpm publish` would upload them). Shared by `scripts/check-packages.mjs` (attw, publint) and
// anything else that needs the published artifacts, so one run builds and packs once.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const root = join(import.meta.dirname, '..')
const pnpm = ['--yes', 'pnpm@10']

/** Every publishable package: `{ name, dir }` for each packages/* folder. */
export function workspacePackages() {
  const packages = join(root, 'packages')
  return readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ dir: join(packages, entry.name), name: JSON.parse(readFileSync(join(packages, entry.name, 'package.json'), 'utf8')).name }))
}

/** `pnpm build` of every package; throws with the output when one fails. */
export function buildPackages() {
  const result = spawnSync('npx', [...pnpm, 'build'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`pnpm build failed:\n${result.stdout}\n${result.stderr}`)
}

/** Packs each built package into `destination`; returns `{ name, dir, tarball }` for each. */
export function packPackages(destination) {
  mkdirSync(destination, { recursive: true })
  return workspacePackages().map(({ name, dir }) => {
    const result = spawnSync('npx', [...pnpm, 'pack', '--pack-destination', destination], { cwd: dir, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`pnpm pack ${name} failed:\n${result.stdout}\n${result.stderr}`)
    const tarball = result.stdout
      .trim()
      .split('\n')
      .filter((line) => line.endsWith('.tgz'))
      .pop()
    if (!tarball) throw new Error(`pnpm pack ${name} named no tarball:\n${result.stdout}`)
    return { name, dir, tarball: tarball.startsWith('/') ? tarball : join(destination, tarball) }
  })
}
