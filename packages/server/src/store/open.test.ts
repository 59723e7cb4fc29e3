import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { activepiecesV3 } from '../profiles/index'
import { provision } from '../profiles/provision'
import { openStore } from './open'

const dir = mkdtempSync(join(tmpdir(), 'sso-embed-pglite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('openStore on PGlite', () => {
  it('creates its data directory, and keeps users across a restart', async () => {
    const dataDir = join(dir, 'nested', 'platform')
    const identity = {
      account: 'acme',
      ...activepiecesV3.identify({ version: 'v3', externalUserId: 'u', externalProjectId: 'p', firstName: 'A', lastName: 'L', role: 'VIEWER' }),
    }
    const first = await openStore({ dataDir, databaseUrl: '' })
    expect(first.engine).toBe('pglite')
    const created = await provision(identity, first)
    await first.close()

    const reopened = await openStore({ dataDir, databaseUrl: '' })
    const again = await provision(identity, reopened)
    expect(again.created).toEqual({ user: false, project: false })
    expect(again.user.id).toBe(created.user.id)
    expect(await reopened.users()).toHaveLength(1)
    await reopened.close()
  }, 180_000) // two PGlite starts: slow on a loaded machine
})
