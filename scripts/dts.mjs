// Run by each package's build after `tsc -p tsconfig.build.json`, in the package's folder:
// makes the emitted declarations resolve under every moduleResolution (node10, node16/nodenext, bundler).
//  - every relative specifier gets its explicit extension (`./options` → `./options.js`,
//    `./store` → `./store/index.js`): node16 refuses extensionless relative imports (TS2834), and a
//    consumer with `skipLibCheck` would silently see `any` instead;
//  - when the package's tsconfig.build.json lists `node` in `types`, every declaration file that an
//    export's `types` points at starts with `/// <reference types="node" />` (TypeScript 6+ projects
//    default `types` to `[]`, so `Buffer` or `node:crypto` would be "Cannot find name") and
//    `/// <reference lib="dom" />` (see below).
// A specifier that matches no emitted declaration fails the build.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const pkgDir = process.cwd()
const dist = join(pkgDir, 'dist')
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
const tsconfig = JSON.parse(readFileSync(join(pkgDir, 'tsconfig.build.json'), 'utf8'))

/** @param {string} dir @returns {string[]} */
const declarations = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return declarations(path)
    return entry.name.endsWith('.d.ts') ? [path] : []
  })

/** `./x` → `./x.js` or `./x/index.js`, whichever declaration exists next to `file`. */
function withExtension(file, specifier) {
  if (/\.(js|mjs|cjs|json)$/.test(specifier)) {
    const declared = resolve(dirname(file), specifier.replace(/\.(m|c)?js$/, '.d.$1ts'))
    if (specifier.endsWith('.json') || existsSync(declared)) return specifier
    throw new Error(`${relative(pkgDir, file)}: '${specifier}' names no emitted declaration`)
  }
  const base = resolve(dirname(file), specifier)
  if (existsSync(`${base}.d.ts`)) return `${specifier}.js`
  if (existsSync(join(base, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`
  throw new Error(`${relative(pkgDir, file)}: '${specifier}' names no emitted declaration`)
}

// `from './x'`, `import('./x')`, `import './x'`, `declare module './x'`
const specifiers = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bdeclare\s+module\s+)(['"])(\.{1,2}(?:\/[^'"]*)?)\2/g

const files = declarations(dist)
if (files.length === 0) throw new Error(`no declarations in ${relative(process.cwd(), dist)}: run tsc -p tsconfig.build.json first`)
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  const fixed = text.replace(specifiers, (_match, keyword, quote, specifier) => `${keyword}${quote}${withExtension(file, specifier)}${quote}`)
  if (fixed !== text) writeFileSync(file, fixed)
}

if ((tsconfig.compilerOptions?.types ?? []).includes('node')) {
  // A Node package's declarations also name web platform types that Node has at run time but
  // @types/node does not declare globally (`JsonWebKey`; `Window` through @sso-embed/protocol): a Node
  // project without the DOM lib would report "Cannot find name". (Cleaner, later: import JsonWebKey from
  // node:crypto in the server, and keep Window out of the types the server re-exports.)
  const reference = '/// <reference types="node" />\n/// <reference lib="dom" />\n'
  const typed = new Set()
  const collect = (value) => {
    if (typeof value === 'string') {
      if (value.endsWith('.d.ts')) typed.add(resolve(pkgDir, value))
    } else if (value && typeof value === 'object') Object.values(value).forEach(collect)
  }
  collect(pkg.types)
  collect(pkg.exports)
  for (const file of typed) {
    if (!existsSync(file)) throw new Error(`${relative(pkgDir, file)} (named in package.json) was not emitted`)
    const text = readFileSync(file, 'utf8')
    if (!text.startsWith(reference)) writeFileSync(file, reference + text)
  }
}
