import { resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import { defineConfig, type UserConfig } from 'vite'

/** Export condition that points workspace packages at their TypeScript source (see README). */
export const SOURCE_CONDITION = '@sso-embed/source'

/**
 * Vite library-mode build shared by every package: ESM entries (`src/<name>.ts` → `dist/<name>.js`), dependencies left external,
 * declarations emitted separately by `tsc -p tsconfig.build.json`.
 */
export function libraryConfig(dir: string, entries: string[] = ['index']): UserConfig {
  const pkg = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    peerDependencies?: Record<string, string>
  }
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  return defineConfig({
    root: dir,
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      target: 'es2022',
      lib: {
        entry: Object.fromEntries(entries.map((name) => [name, resolve(dir, `src/${name}.ts`)])),
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        external: (id) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
      },
    },
  })
}
