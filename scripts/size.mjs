// `pnpm size`: min+gzip bytes of each browser entry, bundled with its dependencies as an app would ship it
// (whole-package import: every export kept). Fails when an entry is over its budget.
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { build } from 'esbuild'

const root = join(import.meta.dirname, '..')
const KB = 1024
const entries = [
  { name: '@sso-embed/core', file: 'packages/core/src/index.ts', budget: 6 * KB, note: 'with penpal and jose decodeJwt' },
  { name: '@sso-embed/frame', file: 'packages/frame/src/index.ts', budget: 6 * KB, note: 'with penpal' },
]

async function measure(file) {
  const result = await build({
    entryPoints: [join(root, file)],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    conditions: ['@sso-embed/source'],
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

let over = 0
console.log('entry                 min      min+gzip   budget   ')
for (const entry of entries) {
  const { min, gzip } = await measure(entry.file)
  const ok = gzip <= entry.budget
  if (!ok) over++
  console.log(
    `${entry.name.padEnd(20)} ${String(min).padStart(7)} B ${String(gzip).padStart(7)} B ${String(entry.budget).padStart(7)} B  ${ok ? 'ok' : `OVER by ${gzip - entry.budget} B`}  (${entry.note})`,
  )
}
console.log('\nFor reference, measured the same way: penpal alone 3.8 KB, Superset embedded SDK 3.6 KB, Looker embed SDK 17.6 KB.')
process.exit(over ? 1 : 0)
