import { resolve } from 'node:path'
import { defineConfig } from 'vite'

// The script-tag bundle: one minified IIFE with every dependency inside, exposing `window.SsoEmbed`.
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    lib: { entry: resolve(import.meta.dirname, 'src/bundle.ts'), formats: ['iife'], name: 'SsoEmbed', fileName: () => 'sso-embed.js' },
  },
})
