import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { mergeConfig } from 'vite'
import { libraryConfig } from '../../vite.shared.ts'

// Runs in Node: two entries (the library and the `sso-embed` CLI), Node's built-ins left external.
const base = libraryConfig(import.meta.dirname)
const dependency = base.build!.rolldownOptions!.external as (id: string) => boolean
const builtins = new Set(builtinModules)

export default mergeConfig(base, {
  build: {
    target: 'node20',
    lib: {
      entry: { index: resolve(import.meta.dirname, 'src/index.ts'), bin: resolve(import.meta.dirname, 'src/bin.ts') },
      fileName: (_format: string, name: string) => `${name}.js`,
    },
    rolldownOptions: {
      external: (id: string) => id.startsWith('node:') || builtins.has(id) || dependency(id),
    },
  },
})
