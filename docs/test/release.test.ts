// The release flow holds together: one fixed version for every package (changesets), the
// compatibility table has a row for this version's protocol and cites an e2e test that exists, and the
// docs' script tag names this version with a well-formed integrity (`release.mjs verify` compares it
// with the built file before publishing).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { PROTOCOL_VERSION, SDK_VERSION } from '@sso-embed/protocol'
import { snippets } from '../../scripts/release.mjs'

const root = join(import.meta.dirname, '..', '..')
const packages = readdirSync(join(root, 'packages')).map(
  (dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; version: string },
)

test('changesets release every package at one fixed version, and SDK_VERSION is that version', () => {
  const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')) as { fixed: string[][] }
  expect(config.fixed).toHaveLength(1)
  expect([...config.fixed[0]!].sort()).toEqual(packages.map((p) => p.name).sort())
  expect(new Set(packages.map((p) => p.version))).toEqual(new Set([SDK_VERSION]))
})

test("the compatibility table gives this version's protocol and cites the interop test that exists", () => {
  const page = readFileSync(join(root, 'docs', 'protocol.md'), 'utf8')
  const rows = [...page.matchAll(/^\| (\d+\.\d+)\.x \| (\d+\.\d+)\.x \| (\d+) \/ (\d+) \| (.*) \|$/gm)].map(
    ([, host, frame, hostProtocol, frameProtocol, result]) => ({
      host,
      frame,
      hostProtocol: Number(hostProtocol),
      frameProtocol: Number(frameProtocol),
      result: result!,
    }),
  )
  const minor = SDK_VERSION.split('.').slice(0, 2).join('.')
  expect(rows).toContainEqual({ host: minor, frame: minor, hostProtocol: PROTOCOL_VERSION, frameProtocol: PROTOCOL_VERSION, result: 'works' })
  // every pair of listed versions has a row
  const versions = new Set(rows.map((r) => r.host))
  expect(rows).toHaveLength(versions.size ** 2)
  // the mismatch row cites a test by file and title: both must exist
  const mismatch = rows.find((r) => r.hostProtocol === PROTOCOL_VERSION - 1 && r.frameProtocol === PROTOCOL_VERSION)!
  const [, file, title] = mismatch.result.match(/`(e2e\/[\w.-]+\.test\.ts)`, "([^"]+)"/)!
  expect(readFileSync(join(root, file!), 'utf8')).toContain(`test('${title}`)
})

test("the docs' script tag names this version of sso-embed.js with a sha384 integrity", () => {
  const found = snippets()
  expect(found.length).toBeGreaterThan(0)
  for (const snippet of found) {
    expect(snippet.version).toBe(SDK_VERSION)
    expect(Buffer.from(snippet.integrity.slice('sha384-'.length), 'base64')).toHaveLength(48)
  }
})
