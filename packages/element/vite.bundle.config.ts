import { resolve } from 'node:path'
import { defaultClientConditions, defineConfig } from 'vite'
import { SOURCE_CONDITION } from '../../vite.shared.ts'

// The script-tag bundle: one minified IIFE with every dependency inside, exposing `window.SsoEmbed`.
export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  // bundled from the workspace's source (core, protocol) like the tests run
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    lib: { entry: resolve(import.meta.dirname, 'src/bundle.ts'), formats: ['iife'], name: 'SsoEmbed', fileName: () => 'sso-embed.js' },
  },
})
