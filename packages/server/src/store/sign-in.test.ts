// The one-statement sign-in of the SQL store (`signIn`): what the exchange runs on PostgreSQL when the
// profile needs no provisioning of its own — one statement, the same rows as the transaction path, and
// nothing but the token's use written for a replayed token or a deactivated user.
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ap, body, code, platformSetup } from '../../test/platform'
import { createSqlStore, fromPGlite, migrate, type SqlClient } from './sql'
import type { EmbedStore } from './types'

const ACME = 'https://app.acme.example'
let client: SqlClient
let store: EmbedStore
const statements: string[] = []
let platform: Awaited<ReturnType<typeof platformSetup>>

beforeAll(async () => {
  const raw = fromPGlite(new PGlite())
  await migrate(raw)
  // counts what reaches the database: a statement, or a transaction
  client = {
    ...raw,
    query: (text, params, name) => {
      statements.push(text.trim().split(/\s+/)[0]!)
      return raw.query(text, params, name)
    },
    transaction: (fn) => {
      statements.push('BEGIN')
      return raw.transaction(fn)
    },
  }
  store = createSqlStore(client)
  platform = await platformSetup(store, [
    { account: 'acme', origin: ACME },
    { account: 'initech', origin: 'https://initech.example', tenant: '1', kidless: true },
  ])
}, 60_000)
afterAll(() => store?.close())

const count = async (table: string) => Number((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!['n'])

describe('the one-statement sign-in', () => {
  it('an activepieces exchange is one statement; its rows are those of the transaction path', async () => {
    statements.length = 0
    const response = await platform.exchange(await platform.hosts[0]!.sign(ap({ tasks: 5, projectDisplayName: 'Books' })), ACME)
    expect(response.status).toBe(200)
    expect(statements).toEqual(['WITH'])
    const answer = await body(response)
    expect(answer).toMatchObject({ account: 'acme', created: { user: true, project: true }, project: { name: 'Books' } })
    expect(await store.user(answer.user.id)).toMatchObject({ account: 'acme', externalId: 'ada', firstName: 'Ada' })
    expect(await store.project(answer.project.id)).toMatchObject({ attributes: { tasks: 5 } })
    expect(await store.memberships({ userId: answer.user.id })).toEqual([{ projectId: answer.project.id, userId: answer.user.id, role: 'EDITOR' }])
    expect((await platform.sessions.verify(answer.sessionToken)).userId).toBe(answer.user.id)
    // a repeat login updates the same rows
    const again = await body(await platform.exchange(await platform.hosts[0]!.sign(ap({ role: 'VIEWER' })), ACME))
    expect(again).toMatchObject({ user: { id: answer.user.id }, project: { id: answer.project.id, name: 'Books' }, created: { user: false, project: false } })
    expect((await store.memberships({ userId: answer.user.id }))[0]!.role).toBe('VIEWER')
  })

  it('a latenode exchange (its own provisioning) takes the transaction path', async () => {
    statements.length = 0
    const response = await platform.exchange(
      await platform.hosts[1]!.sign({ tenant_id: 1, user_id: 'u', grant_access: [{ space_id: 3, role_id: 1 }] }),
      'https://initech.example',
    )
    expect(response.status).toBe(200)
    expect(statements.slice(0, 2)).toEqual(['INSERT', 'BEGIN']) // the token's use, then the transaction
  })

  it("a replayed token and a deactivated user write nothing but the token's use", async () => {
    const token = await platform.hosts[0]!.sign(ap({ externalUserId: 'eve' }))
    const eve = await body(await platform.exchange(token, ACME))
    const before = await Promise.all(['sso_embed_users', 'sso_embed_projects', 'sso_embed_memberships', 'sso_embed_sessions'].map(count))
    expect(await code(await platform.exchange(token, ACME))).toBe('TOKEN_REPLAYED')
    await store.deactivateUser(eve.user.id)
    const uses = await count('sso_embed_token_uses')
    expect(await code(await platform.exchange(await platform.hosts[0]!.sign(ap({ externalUserId: 'eve', firstName: 'Changed' })), ACME))).toBe(
      'USER_DEACTIVATED',
    )
    expect(await count('sso_embed_token_uses')).toBe(uses + 1)
    expect(await Promise.all(['sso_embed_users', 'sso_embed_projects', 'sso_embed_memberships', 'sso_embed_sessions'].map(count))).toEqual(before)
    expect((await store.user(eve.user.id))!.firstName).toBe('Ada')
  })
})

describe('sessions.prune', () => {
  it('deletes ended sessions (revoked or expired); a pruned session is still refused', async () => {
    const answer = await body(await platform.exchange(await platform.hosts[0]!.sign(ap({ externalUserId: 'pruned' })), ACME))
    const live = await body(await platform.exchange(await platform.hosts[0]!.sign(ap({ externalUserId: 'kept' })), ACME))
    await platform.sessions.end(answer.sessionToken)
    const before = await count('sso_embed_sessions')
    expect(await store.sessions.prune(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1)
    expect(await count('sso_embed_sessions')).toBeLessThan(before)
    await expect(platform.sessions.verify(answer.sessionToken)).rejects.toMatchObject({ code: 'SESSION_INVALID', reason: 'ended' })
    expect((await platform.sessions.verify(live.sessionToken)).userId).toBe(live.user.id)
  })
})
