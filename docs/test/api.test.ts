// The docs name only functions that exist, with the return fields they have. Compared against typedoc's
// JSON of every package entry (the reflection the API reference is generated from):
//  - every inline `name(…)` in docs/**/*.md (code blocks aside: samples type-check in docs.test.ts) is
//    an export of a package, or a method or callback of an exported type (`embed.destroy()`,
//    `store.use()`, a wire method), a browser API that lib.dom.d.ts declares, or penpal's connect();
//  - where the prose says an exported function `returns`/`→` `{ a, b, … }`, those are exactly the
//    fields of its (awaited) return type — `…` in the list allows more;
//  - the wire-method table of docs/protocol.md lists exactly HostMethods and FrameMethods.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const docs = join(root, 'docs')

/** Library functions the prose names that are not ours (browser APIs are looked up in lib.dom.d.ts). */
const NOT_OURS = new Set([
  'connect', // penpal's connect()
])
/** A method or function the DOM declares (`document.requestStorageAccess()`, `event.preventDefault()`). */
const domLib = readFileSync(join(root, 'node_modules', 'typescript', 'lib', 'lib.dom.d.ts'), 'utf8')
const isDomApi = (name: string) => new RegExp(`^    ${name}\\(|^declare function ${name}\\(`, 'm').test(domLib)

interface Reflection {
  id: number
  name: string
  kind: number
  children?: Reflection[]
  signatures?: Array<{ type?: TypeNode }>
  type?: TypeNode
}
interface TypeNode {
  type: string
  name?: string
  target?: number | object
  typeArguments?: TypeNode[]
  types?: TypeNode[]
  declaration?: Reflection
}

let modules: Reflection[]
const byId = new Map<number, Reflection>()
const dir = mkdtempSync(join(tmpdir(), 'sso-embed-typedoc-'))

beforeAll(() => {
  const out = join(dir, 'api.json')
  // typedoc.json's entry points; the type errors are tsc's job (pnpm typecheck), the reflection is ours
  const result = spawnSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--json', out, '--skipErrorChecking', '--logLevel', 'Error'], {
    cwd: root,
    encoding: 'utf8',
  })
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0)
  modules = (JSON.parse(readFileSync(out, 'utf8')) as Reflection).children!
  const index = (r: Reflection) => {
    byId.set(r.id, r)
    r.children?.forEach(index)
    r.type?.declaration && index(r.type.declaration)
  }
  modules.forEach(index)
}, 300_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** docs/**.md except the generated API reference, with code blocks removed. */
const pages = () =>
  readdirSync(docs, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.md') && !file.startsWith('api'))
    .map((file) => ({ file, text: readFileSync(join(docs, file), 'utf8').replace(/```[\s\S]*?```/g, '') }))

const exportsByName = () => new Map(modules.flatMap((m) => (m.children ?? []).map((c) => [c.name, c] as const)))

/** Every name of a member of an exported interface, class, type literal or object (recursively). */
function memberNames(): Set<string> {
  const names = new Set<string>()
  const walk = (r: Reflection) => {
    for (const child of r.children ?? []) {
      names.add(child.name)
      walk(child)
    }
    if (r.type?.declaration) walk(r.type.declaration)
  }
  modules.flatMap((m) => m.children ?? []).forEach(walk)
  return names
}

/** The fields of a type, through Promise<…>, references, unions of object types and intersections. */
function fieldsOf(type: TypeNode | undefined): Set<string> {
  if (!type) return new Set()
  if (type.type === 'reference' && type.name === 'Promise') return fieldsOf(type.typeArguments?.[0])
  if (type.type === 'reference' && typeof type.target === 'number') {
    const target = byId.get(type.target)
    if (!target) return new Set()
    if (target.children) return new Set(target.children.map((c) => c.name))
    return fieldsOf(target.type)
  }
  if (type.type === 'reflection') return new Set((type.declaration?.children ?? []).map((c) => c.name))
  if (type.type === 'union' || type.type === 'intersection') return new Set((type.types ?? []).flatMap((t) => [...fieldsOf(t)]))
  return new Set()
}

test("every function the docs name exists: an export, a member of an exported type, a DOM API or penpal's connect", () => {
  const exported = exportsByName()
  const members = memberNames()
  const unknown: string[] = []
  for (const { file, text } of pages()) {
    for (const [, name] of text.matchAll(/`(?:await |new )?(?:[\w$]+\.)*([A-Za-z_$][\w$]*)\(/g)) {
      if (!exported.has(name!) && !members.has(name!) && !NOT_OURS.has(name!) && !isDomApi(name!)) unknown.push(`${file}: ${name}()`)
    }
  }
  expect(unknown).toEqual([])
})

test('the documented return fields of each exported function are the fields of its return type', () => {
  const exported = exportsByName()
  const checked: string[] = []
  const wrong: string[] = []
  for (const { file, text } of pages()) {
    // `fn(…)` … returns `{ a, b: { … }, c }` or `fn(…)` → `{ … }`, within one paragraph
    const pattern = /`(?:await )?([A-Za-z_$][\w$]*)\([^`]*\)`((?:(?!\n\n)[^`]|`[^`{(]*`){0,200}?)\b(?:returns|→)\s*`\{([^`]*)\}`/g
    for (const [, name, , body] of text.matchAll(pattern)) {
      const fn = exported.get(name!)
      if (!fn?.signatures) continue
      // top-level keys only: drop nested braces, then `key` or `key?` or `key: …`
      let flat = body!
      while (/\{[^{}]*\}/.test(flat)) flat = flat.replace(/\{[^{}]*\}/g, '')
      const items = flat
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
      const open = items.some((item) => item === '…' || item === '...')
      const documented = items.filter((item) => item !== '…' && item !== '...').map((item) => item.replace(/[?:].*$/s, '').trim())
      const actual = [...fieldsOf(fn.signatures[0]!.type)].sort()
      checked.push(name!)
      const missing = documented.filter((field) => !actual.includes(field))
      const undocumented = open ? [] : actual.filter((field) => !documented.includes(field))
      if (missing.length || undocumented.length) wrong.push(`${file}: ${name}() documents ${documented.join(', ')}; returns ${actual.join(', ')}`)
    }
  }
  expect(wrong).toEqual([])
  // the pattern still finds the documented returns (a rewording must not silently check nothing)
  expect(checked).toEqual(expect.arrayContaining(['provision', 'verifySession', 'useEmbed']))
})

test("docs/protocol.md's method table lists exactly the wire methods of each side", () => {
  const page = readFileSync(join(docs, 'protocol.md'), 'utf8')
  const listed = (side: string) => [...page.matchAll(new RegExp(`^\\| ${side} \\| \`([A-Za-z]+)\\(`, 'gm'))].map((m) => m[1]).sort()
  const protocol = modules.find((m) => m.name === '@sso-embed/protocol')!
  const methods = (name: string) => (protocol.children!.find((c) => c.name === name)!.children ?? []).map((c) => c.name).sort()
  expect(listed('host')).toEqual(methods('HostMethods'))
  expect(listed('frame')).toEqual(methods('FrameMethods'))
  expect(methods('HostMethods').length).toBeGreaterThan(0)
})
