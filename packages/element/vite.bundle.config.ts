import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defaultClientConditions, defineConfig, type Plugin } from 'vite'
import { SOURCE_CONDITION } from '../../vite.shared.ts'

// Declarations of `@sso-embed/element/sso-embed.js`: loading the file registers <sso-embed> (whose tag
// map entry element.d.ts declares); a classic <script> tag also defines `window.SsoEmbed`, typed by the
// declarations tsc emits for src/bundle.ts. (A bundler's import scopes the IIFE's `var` to the module.)
const declarations = `import './element.js'
import type * as Api from './bundle.js'

declare global {
  /** What \`<script src=".../sso-embed.js">\` defines (undefined where a bundler imported the file). */
  var SsoEmbed: typeof Api | undefined
}

export {}
`
const emitDeclarations: Plugin = {
  name: 'sso-embed-declarations',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'sso-embed.d.ts', source: declarations })
  },
}

// The Subresource Integrity value of the file as written (with its `sourceMappingURL` line), printed by
// every build for `<script src=… integrity=… crossorigin="anonymous">`; `pnpm release:version` writes it
// into the docs' snippet and `pnpm release:publish` refuses a build that no longer matches the docs.
const printIntegrity: Plugin = {
  name: 'sso-embed-integrity',
  writeBundle({ dir }) {
    const file = resolve(dir ?? 'dist', 'sso-embed.js')
    const integrity = `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`
    console.log(`sso-embed.js integrity: ${integrity}`)
  },
}

// The script-tag bundle: one minified IIFE with every dependency inside, exposing `window.SsoEmbed`, and
// its source map beside it (sources included), which the tarball ships and a CDN serves next to it.
export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  // bundled from the workspace's source (core, protocol) like the tests run
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  plugins: [emitDeclarations, printIntegrity],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    lib: { entry: resolve(import.meta.dirname, 'src/bundle.ts'), formats: ['iife'], name: 'SsoEmbed', fileName: () => 'sso-embed.js' },
  },
})
