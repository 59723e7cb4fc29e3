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

// The script-tag bundle: one minified IIFE with every dependency inside, exposing `window.SsoEmbed`.
export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  // bundled from the workspace's source (core, protocol) like the tests run
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  plugins: [emitDeclarations],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    lib: { entry: resolve(import.meta.dirname, 'src/bundle.ts'), formats: ['iife'], name: 'SsoEmbed', fileName: () => 'sso-embed.js' },
  },
})
