// `pnpm test`: every test of the repository, as CI runs it.
//  1. installs Debian's Chromium, Firefox ESR and WebKitGTK (+ Xvfb) if missing (the browser tests drive them);
//  2. checks formatting and lint rules (Biome, biome.json) and type-checks the whole workspace (strict);
//  3. builds and packs every package and checks the tarballs (attw, publint --strict, types as a consumer sees them);
//  4. runs every Vitest project (unit tests of each package, real-browser e2e tests, and the engines
//     matrix: one file per engine, side by side), prints each engine's time and writes the support
//     table of docs/third-party-cookies.md from the matrix;
//  5. ends with a plain `N passed, N failed` line, and exits non-zero when anything failed.
// `pnpm test:e2e --engine firefox` (or `--engine chromium,webkit`) runs only those engines' matrix.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ensureChromium } from './chromium.mjs'
import { ensureFirefox, ensureWebKit } from './engines.mjs'
import { writeSupportTable } from './support-table.mjs'

const root = join(import.meta.dirname, '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status

let passed = 0
let failed = 0
const check = (name, ok) => {
  if (ok) passed++
  else {
    failed++
    console.error(`✗ ${name} failed`)
  }
}

const ENGINES = ['chromium', 'firefox', 'webkit']
const args = process.argv.slice(2)
let only // the last --engine wins (`pnpm test:e2e` names all three; `pnpm test:e2e --engine firefox` one)
for (let at = args.indexOf('--engine'); at >= 0; at = args.indexOf('--engine')) only = (args.splice(at, 2)[1] ?? '').split(',').filter(Boolean)
if (only && (!only.length || only.some((name) => !ENGINES.includes(name)))) {
  console.error(`--engine takes ${ENGINES.join(', ')} (comma-separated)`)
  process.exit(2)
}
const engines = only ?? ENGINES

for (const [name, ensure] of [
  ['chromium', ensureChromium],
  ['firefox', ensureFirefox],
  ['webkit', ensureWebKit],
]) {
  if (!engines.includes(name)) continue
  try {
    ensure()
  } catch (error) {
    console.error(error.message)
  }
}

if (!only) {
  console.log('\n▶ lint (biome ci: formatting and lint rules, as `pnpm lint`)')
  check('lint', run(bin('biome'), ['ci', '.']) === 0)

  console.log('\n▶ typecheck (tsc --noEmit, strict)')
  check('typecheck', run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) === 0)

  console.log("\n▶ packages: build, pack, attw, publint --strict, a consumer's type-check (scripts/check-packages.mjs)")
  const packagesBuilt = run('node', [join(root, 'scripts', 'check-packages.mjs')]) === 0
  check('package checks', packagesBuilt)
  // e2e/examples.test.ts packs what check-packages just built instead of building again
  if (packagesBuilt) process.env.SSO_EMBED_PACKAGES_BUILT = '1'
}

const vitestArgs = only ? ['--project', 'engines', ...only.map((name) => `e2e/engines/${name}.test.ts`)] : []
console.log(only ? `\n▶ vitest (engines matrix: ${only.join(', ')})` : '\n▶ vitest (unit, e2e in Chromium, the engines matrix in Chromium, Firefox and WebKit)')
const cache = join(root, 'node_modules', '.cache')
mkdirSync(cache, { recursive: true })
const report = join(cache, 'vitest-report.json')
rmSync(report, { force: true })
rmSync(join(cache, 'engines'), { recursive: true, force: true }) // each engine file writes its support-table cells there
const status = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs, ...args])
try {
  const results = JSON.parse(readFileSync(report, 'utf8'))
  // a file that failed to load has no failed test of its own: count the file
  const brokenFiles = results.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'))
  passed += results.numPassedTests
  failed += results.numFailedTests + brokenFiles.length
  console.log('\n▶ engines matrix: time per engine')
  for (const name of engines) {
    const file = results.testResults.find((f) => f.name.endsWith(`e2e/engines/${name}.test.ts`))
    if (!file) continue
    const tests = file.assertionResults
    console.log(
      `  ${name.padEnd(9)} ${String(Math.round((file.endTime - file.startTime) / 1000)).padStart(5)} s  ${tests.filter((t) => t.status === 'passed').length}/${tests.length} passed`,
    )
  }
  if (writeSupportTable(engines)) console.log('  the support table in docs/third-party-cookies.md was updated from this run')
  // vitest also fails a run whose tests all passed when an error escaped them (e.g. an unhandled rejection)
  if (status !== 0 && results.numFailedTests + brokenFiles.length === 0) {
    console.error('✗ vitest failed outside any test (see "Unhandled Errors" above)')
    failed++
  }
} catch {
  console.error('✗ vitest produced no report')
  failed++
}

console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
