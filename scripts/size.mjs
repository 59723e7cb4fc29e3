// `pnpm size`: min+gzip bytes of each browser entry, bundled with its dependencies as an app would ship it
// (whole-package import: every export kept), from what ships: each package's built `dist` entry,
// resolved through the packages' `exports` as an app's bundler resolves the installed package (the
// browser packages are built first; `--no-build` measures the dist already there). Code an entry loads only on demand (`import()`, e.g. the
// frame's storage-access interstitial) is split out as a bundler does and printed on its own line; the
// budget is for what every page loads. Fails when an entry is over its budget.
import { spawnSync } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { build } from 'esbuild'

const root = join(import.meta.dirname, '..')
const browserPackages = ['protocol', 'core', 'frame', 'react', 'vue', 'element']
if (!process.argv.includes('--no-build')) {
  console.log(`building ${browserPackages.join(', ')}…`)
  const filters = browserPackages.flatMap((name) => ['--filter', `./packages/${name}`])
  const built = spawnSync('npx', ['--yes', 'pnpm@10', ...filters, 'run', 'build'], { cwd: root, encoding: 'utf8' })
  if (built.status !== 0) {
    console.error(built.stdout, built.stderr)
    process.exit(1)
  }
}
// kB as the issue's reference figures use it: 1000 bytes. Bundled exactly as below, penpal 7.0.6 alone is
// 3832 B ("3.8 KB"), @superset-ui/embedded-sdk 0.4.0 3586 B ("3.6 KB"), @looker/embed-sdk 2.0.8 17581 B
// ("17.6 KB"), @typeform/embed 6.1.1 13871 B; in KiB they would read 3.7, 3.5 and 17.2.
const KB = 1000
// `external`: what an app already has (the framework, and core for the wrappers) is not counted
const wrapper = ['@sso-embed/core', 'react', 'react-dom', 'vue', '@lit/reactive-element', 'lit']
const entries = [
  { name: '@sso-embed/core', file: 'packages/core/dist/index.js', budget: 6 * KB, note: 'with protocol' },
  { name: '@sso-embed/frame', file: 'packages/frame/dist/index.js', budget: 6 * KB, note: 'with protocol' },
  { name: '@sso-embed/react', file: 'packages/react/dist/index.js', budget: 1 * KB, note: 'without react and core', external: wrapper },
  { name: '@sso-embed/vue', file: 'packages/vue/dist/index.js', budget: 1 * KB, note: 'without vue and core', external: wrapper },
  { name: '@sso-embed/element', file: 'packages/element/dist/index.js', budget: 2 * KB, note: 'without lit and core', external: wrapper },
  { name: 'sso-embed.js', file: 'packages/element/dist/sso-embed.js', budget: 12 * KB, note: 'script-tag bundle: everything, Lit included', format: 'iife' },
]

const sizes = (code) => ({ min: code.length, gzip: gzipSync(code, { level: 9 }).length })

/** The entry with the chunks it imports statically, and each chunk it loads on demand. */
async function measure({ file, source, external = [], format = 'esm' }) {
  const result = await build({
    // `source`: a module's text, resolved from the root (where penpal is installed, for the reference figure)
    ...(source ? { stdin: { contents: source, resolveDir: root } } : { entryPoints: [join(root, file)] }),
    bundle: true,
    external,
    splitting: format === 'esm',
    outdir: join(root, 'node_modules/.cache/size'),
    minify: true,
    format,
    target: 'es2022',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const byPath = new Map(result.outputFiles.map((out) => [out.path, out.contents]))
  const outputs = result.metafile.outputs
  const abs = (path) => join(root, path)
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint)
  // what every page loads: the entry and its static imports, as one file would be
  const eager = new Set()
  const visit = (path) => {
    if (eager.has(path)) return
    eager.add(path)
    for (const imported of outputs[path].imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path)
  }
  visit(entry)
  const eagerCode = Buffer.concat([...eager].map((path) => byPath.get(abs(path))))
  const lazy = Object.keys(outputs)
    .filter((path) => !eager.has(path) && path.endsWith('.js'))
    .map((path) => ({ name: Object.keys(outputs[path].inputs).find((input) => !input.includes('node_modules')) ?? path, ...sizes(byPath.get(abs(path))) }))
  return { ...sizes(eagerCode), lazy }
}

let over = 0
console.log('entry                 min      min+gzip   budget   ')
for (const entry of entries) {
  const { min, gzip, lazy } = await measure(entry)
  const ok = gzip <= entry.budget
  if (!ok) over++
  console.log(
    `${entry.name.padEnd(20)} ${String(min).padStart(7)} B ${String(gzip).padStart(7)} B ${String(entry.budget).padStart(7)} B  ${ok ? 'ok' : `OVER by ${gzip - entry.budget} B`}  (${entry.note})`,
  )
  for (const chunk of lazy) {
    console.log(
      `  + on demand         ${String(chunk.min).padStart(7)} B ${String(chunk.gzip).padStart(7)} B             (${chunk.name}, loaded only when used)`,
    )
  }
}
// what the SDK entries are built on, each bundled alone: the floor under core and frame
const [penpal, connect] = await Promise.all(["export * from 'penpal'", "export { connect } from 'penpal'"].map((source) => measure({ source })))
console.log(
  `\nCore and frame speak penpal 7's wire through their own connection (openChannel, in @sso-embed/protocol) instead of penpal's connect() (${connect.gzip} B on its own); core reads exp with its own decoder (held to jose's decodeJwt by a test).`,
)
console.log(
  `\nFor reference, measured the same way (1 KB = 1000 B): penpal 7 alone ${penpal.gzip} B (measured now); measured on 2026-11-22: ` +
    'Superset embedded SDK 0.4.0 3586 B, Looker embed SDK 2.0.8 17581 B, Typeform embed 6.1.1 13871 B.',
)
process.exit(over ? 1 : 0)
