import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const root = join(import.meta.dirname, '..')

test('every package imports in plain Node (no DOM); React and Vue server-render a placeholder; mounting there fails with BROWSER_REQUIRED', () => {
  const output = execFileSync(join(root, 'node_modules/.bin/tsx'), ['--conditions=@sso-embed/source', 'e2e/fixtures/node-import.ts'], {
    cwd: root,
    encoding: 'utf8',
  })
  const result = JSON.parse(output) as Record<string, unknown>
  expect(Object.values(result['exports'] as Record<string, number>).every((count) => count > 0)).toBe(true)
  expect(result).toMatchObject({
    configure: 'BROWSER_REQUIRED',
    connectToHost: 'BROWSER_REQUIRED',
    react: '<div data-sso-embed=""></div>',
    vue: '<div data-sso-embed></div>',
  })
})
