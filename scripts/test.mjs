// `pnpm test`: every test of the repository, as CI runs it.
//  1. installs Debian's Chromium if it is missing (the browser tests drive it);
//  2. type-checks the whole workspace (strict);
//  3. builds and packs every package and checks the tarballs (attw, publint --strict, types as a consumer sees them);
//  4. runs every Vitest project (unit tests of each package, real-browser e2e tests);
//  5. ends with a plain `N passed, N failed` line, and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ensureChromium } from './chromium.mjs'

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

try {
  ensureChromium()
} catch (error) {
  console.error(error.message)
}

console.log('\n▶ typecheck (tsc --noEmit, strict)')
check('typecheck', run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) === 0)

console.log('\n▶ packages: build, pack, attw, publint --strict, a consumer\'s type-check (scripts/check-packages.mjs)')
check('package checks', run('node', [join(root, 'scripts', 'check-packages.mjs')]) === 0)

console.log('\n▶ vitest (unit + e2e in Chromium)')
const cache = join(root, 'node_modules', '.cache')
mkdirSync(cache, { recursive: true })
const report = join(cache, 'vitest-report.json')
rmSync(report, { force: true })
const status = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)])
try {
  const results = JSON.parse(readFileSync(report, 'utf8'))
  // a file that failed to load has no failed test of its own: count the file
  const brokenFiles = results.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'))
  passed += results.numPassedTests
  failed += results.numFailedTests + brokenFiles.length
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
