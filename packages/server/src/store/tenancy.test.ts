// Tenancy through the exchange endpoint, on the memory store, PGlite and a PostgreSQL server: two hosts
// with equal external ids never see each other's users, projects or sessions; a key pinned to a tenant
// reaches no other tenant; kid-less tokens find their key by tenant; a claim that could make two ids one
// user is CLAIM_INVALID and writes nothing (rows of every table counted before and after).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ap, body, code, platformSetup } from '../../test/platform'
import { engines, type CountedStore } from '../../test/stores'

const ACME = 'https://app.acme.example'
const GLOBEX = 'https://globex.example'
const INITECH = 'https://initech.example'

describe.each(engines('sso_embed_tenancy'))('tenancy on %s', (_, open) => {
  let db: CountedStore
  let platform: Awaited<ReturnType<typeof platformSetup>>
  let acme: (typeof platform.hosts)[number]
  let globex: (typeof platform.hosts)[number]
  let initech1: (typeof platform.hosts)[number]
  let initech2: (typeof platform.hosts)[number]

  beforeAll(async () => {
    db = await open()
    platform = await platformSetup(db.store, [
      { account: 'acme', origin: ACME },
      { account: 'globex', origin: GLOBEX },
      // one latenode customer with two tenants, a key pinned to each; tokens carry no kid
      { account: 'initech', origin: INITECH, tenant: '1', kidless: true },
      { account: 'initech', origin: INITECH, tenant: '2', kidless: true },
    ])
    ;[acme, globex, initech1, initech2] = platform.hosts as [typeof acme, typeof acme, typeof acme, typeof acme]
  }, 300_000)
  afterAll(() => db?.close())

  it('two hosts with equal external ids get two users and two projects, and never rename each other', async () => {
    const a = await platform.exchange(await acme.sign(ap({ externalUserId: 'ada', externalProjectId: 'shared', projectDisplayName: 'Acme books' })), ACME)
    expect(a.status).toBe(200)
    const b = await platform.exchange(
      await globex.sign(ap({ externalUserId: 'ada', externalProjectId: 'shared', firstName: 'Mallory', projectDisplayName: 'Pwned' })),
      GLOBEX,
    )
    expect(b.status).toBe(200)
    const [ab, bb] = [await body(a), await body(b)]
    expect(ab.account).toBe('acme')
    expect(bb.account).toBe('globex')
    expect(bb.created).toEqual({ user: true, project: true })
    expect(bb.user.id).not.toBe(ab.user.id)
    expect(bb.project.id).not.toBe(ab.project.id)
    // acme's user and project are as acme left them
    expect(await db.store.user(ab.user.id)).toMatchObject({ account: 'acme', firstName: 'Ada' })
    expect(await db.store.project(ab.project.id)).toMatchObject({ account: 'acme', name: 'Acme books' })
    expect((await db.store.users({ account: 'acme' })).map((u) => u.externalId)).toEqual(['ada'])
    expect((await db.store.memberships({ projectId: ab.project.id })).map((m) => m.userId)).toEqual([ab.user.id])
    // a session is its account's: globex's session resumes globex's user, and not under acme's page
    expect((await body(await platform.session(bb.sessionToken, GLOBEX))).user.id).toBe(bb.user.id)
    expect(await code(await platform.session(bb.sessionToken, ACME))).toBe('SESSION_INVALID')
  })

  it("a key cannot carry its token to another host's origin", async () => {
    const response = await platform.exchange(await globex.sign(ap()), ACME)
    expect(response.status).toBe(403)
    expect(await code(response)).toBe('ORIGIN_NOT_ALLOWED')
  })

  it('kid-less latenode tokens find the key pinned to their tenant; a pinned key signing another tenant is refused', async () => {
    const one = await platform.exchange(await initech1.sign({ tenant_id: 1, user_id: 'u' }), INITECH)
    const two = await platform.exchange(await initech2.sign({ tenant_id: 2, user_id: 'u' }), INITECH)
    expect([one.status, two.status]).toEqual([200, 200])
    const [b1, b2] = [await body(one), await body(two)]
    expect(b1.user.id).not.toBe(b2.user.id)
    expect((await db.store.user(b1.user.id))!.tenant).toBe('1')
    expect((await db.store.user(b2.user.id))!.tenant).toBe('2')

    const before = await db.counts()
    // tenant 1's key signs tenant 2: the kid-less choice picks tenant 2's key, whose signature check fails
    const kidless = await platform.exchange(await initech1.sign({ tenant_id: 2, user_id: 'intruder' }), INITECH)
    expect(kidless.status).toBe(401)
    expect(await code(kidless)).toBe('BAD_SIGNATURE')
    // and naming its own kid, it is held to its pin
    const named = await platform.exchange(await initech1.sign({ tenant_id: 2, user_id: 'intruder' }, { kid: initech1.key.kid }), INITECH)
    expect(await body(named)).toEqual({
      error: { code: 'CLAIM_INVALID', claim: 'tenant_id', message: 'Claim "tenant_id" names a tenant the signing key is not registered for.' },
    })
    // a tenant no key is pinned to: no key to choose
    expect(await code(await platform.exchange(await initech1.sign({ tenant_id: 3, user_id: 'u' }), INITECH))).toBe('BAD_SIGNATURE')
    expect(await db.counts()).toEqual(before)
  })

  it.each([
    ['NUL', 'ada\u0000'],
    ['a lone surrogate', 'x\ud800'],
    ['the other lone surrogate (both would be stored as U+FFFD)', 'x\udbff'],
    ['a control character', 'ada\u001b[31m'],
    ['10 KB', 'a'.repeat(10_000)],
    ['a non-NFC spelling', 'jose\u0301'],
  ])('externalUserId with %s: CLAIM_INVALID naming the claim, nothing written', async (_, value) => {
    const before = await db.counts()
    const response = await platform.exchange(await acme.sign(ap({ externalUserId: value })), ACME)
    expect(response.status).toBe(401)
    expect(await body(response)).toMatchObject({ error: { code: 'CLAIM_INVALID', claim: 'externalUserId' } })
    for (const claims of [ap({ lastName: value }), ap({ externalProjectId: value }), ap({ projectDisplayName: value })]) {
      expect(await code(await platform.exchange(await acme.sign(claims), ACME))).toBe('CLAIM_INVALID')
    }
    expect(await code(await platform.exchange(await initech1.sign({ tenant_id: 1, user_id: value }), INITECH))).toBe('CLAIM_INVALID')
    expect(await db.counts()).toEqual(before)
  })

  it('a jti with NUL is CLAIM_INVALID, not a database error', async () => {
    const before = await db.counts()
    const response = await platform.exchange(await acme.sign(ap({ jti: 'a\u0000b' })), ACME)
    expect(await body(response)).toMatchObject({ error: { code: 'CLAIM_INVALID', claim: 'jti' } })
    expect(await db.counts()).toEqual(before)
  })
})
