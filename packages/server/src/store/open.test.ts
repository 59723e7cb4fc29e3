import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { activepiecesV3 } from '../profiles/index'
import { provision } from '../profiles/provision'
import { openStore } from './open'

const dir = mkdtempSync(join(tmpdir(), 'sso-embed-pglite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A logger that keeps what openStore said. */
const recorder = () => {
  const lines: string[] = []
  return { lines, logger: { info: (message: string) => void lines.push(message) } }
}

describe('openStore on PGlite', () => {
  it('creates its data directory, keeps users across a restart, and says what it does through `logger`', async () => {
    const dataDir = join(dir, 'nested', 'platform')
    const identity = {
      account: 'acme',
      ...activepiecesV3.identify({ version: 'v3', externalUserId: 'u', externalProjectId: 'p', firstName: 'A', lastName: 'L', role: 'VIEWER' }),
    }
    const created = recorder()
    const first = await openStore({ dataDir, databaseUrl: '', logger: created.logger })
    expect(first.engine).toBe('pglite')
    expect(created.lines).toEqual([
      `creating a new PGlite database at ${dataDir} (first start takes a few seconds)`,
      'applied migrations 1, 2 (schema version 2)',
      expect.stringMatching(/^PGlite store ready in \d+(\.\d)? m?s$/),
    ])
    const user = await provision(identity, first)
    await first.close()

    const opened = recorder()
    const reopened = await openStore({ dataDir, databaseUrl: '', logger: opened.logger })
    expect(opened.lines).toEqual([
      `opening the PGlite database at ${dataDir}`,
      'schema up to date (version 2)',
      expect.stringMatching(/^PGlite store ready in /),
    ])
    const again = await provision(identity, reopened)
    expect(again.created).toEqual({ user: false, project: false })
    expect(again.user.id).toBe(user.user.id)
    expect(await reopened.users()).toHaveLength(1)
    await reopened.close()
  }, 180_000) // two PGlite starts: slow on a loaded machine
})

describe('openStore on PostgreSQL', () => {
  it('names the server without its password, also when the connection fails', async () => {
    const { lines, logger } = recorder()
    // port 1: nothing listens, the connection is refused at once
    await expect(openStore({ databaseUrl: 'postgres://app:hunter2@127.0.0.1:1/app', logger })).rejects.toThrow()
    expect(lines).toEqual(['connecting to PostgreSQL at postgres://app:***@127.0.0.1:1/app'])

    lines.length = 0
    const saved = process.env['DATABASE_URL']
    process.env['DATABASE_URL'] = 'postgres://app:hunter2@127.0.0.1:1/app?sslpassword=hunter3'
    try {
      await expect(openStore({ logger })).rejects.toThrow()
    } finally {
      if (saved === undefined) delete process.env['DATABASE_URL']
      else process.env['DATABASE_URL'] = saved
    }
    expect(lines).toEqual(['connecting to PostgreSQL at postgres://app:***@127.0.0.1:1/app?sslpassword=*** (from DATABASE_URL)'])
  })

  it('is silent without a logger', async () => {
    const spies = ['log', 'info', 'warn', 'error', 'debug'] as const
    const said: unknown[] = []
    const saved = spies.map((name) => [name, console[name]] as const)
    for (const name of spies) console[name] = (...args: unknown[]) => void said.push(args)
    const write = process.stderr.write
    process.stderr.write = ((chunk: unknown) => {
      said.push(chunk)
      return true
    }) as typeof process.stderr.write
    try {
      await expect(openStore({ databaseUrl: 'postgres://app:hunter2@127.0.0.1:1/app' })).rejects.toThrow()
    } finally {
      for (const [name, fn] of saved) console[name] = fn
      process.stderr.write = write
    }
    expect(said).toEqual([])
  })
})
