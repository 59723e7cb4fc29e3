import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeKinds } from '../../test/stores'
import type { Identity } from './profile'
import { activepiecesV3, latenode, raytha } from './index'
import { provision } from './provision'
import type { EmbedStore } from '../store/types'

describe.each(storeKinds)('provision on the %s store', (_, open) => {
  let store: EmbedStore
  let account: string
  beforeAll(async () => {
    store = await open()
  }, 60_000)
  afterAll(() => store.close())

  /** Identity of a profile, in an account of its own so tests never see each other's rows. */
  const as = (profile: typeof activepiecesV3, claims: Record<string, unknown>): Identity => ({ account, ...profile.identify(claims) })
  const fresh = () => (account = randomUUID())

  describe('activepieces-v3', () => {
    const claims = (extra: Record<string, unknown> = {}) => ({
      version: 'v3',
      externalUserId: 'u-1',
      externalProjectId: 'p-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      role: 'EDITOR',
      ...extra,
    })

    it('creates user, project and membership on the first login, and finds them on the next', async () => {
      fresh()
      const first = await provision(
        as(activepiecesV3, claims({ projectDisplayName: 'Acme', tasks: 500, aiCredits: 25.5, piecesFilterType: 'ALLOWED', piecesTags: ['crm'] })),
        store,
      )
      expect(first.created).toEqual({ user: true, project: true })
      expect(first.user).toMatchObject({ account, tenant: '', externalId: 'u-1', firstName: 'Ada', lastName: 'Lovelace' })
      expect(first.project).toMatchObject({
        externalId: 'p-1',
        name: 'Acme',
        attributes: { tasks: 500, aiCredits: 25.5, piecesFilterType: 'ALLOWED', piecesTags: ['crm'] },
      })
      expect(first.role).toBe('EDITOR')

      const again = await provision(as(activepiecesV3, claims({ role: 'VIEWER', firstName: 'Augusta' })), store)
      expect(again.created).toEqual({ user: false, project: false })
      expect(again.user.id).toBe(first.user.id)
      expect(again.project!.id).toBe(first.project!.id)
      // role and names applied on every login; limits and name left out stay as stored
      expect(again.role).toBe('VIEWER')
      expect(again.user.firstName).toBe('Augusta')
      expect(again.project).toMatchObject({ name: 'Acme', attributes: { tasks: 500, aiCredits: 25.5 } })
      expect(await store.memberships({ userId: first.user.id })).toEqual([{ projectId: first.project!.id, userId: first.user.id, role: 'VIEWER' }])
    })

    it('names a new project after its external id when no display name is given; a later name overrides it', async () => {
      fresh()
      expect((await provision(as(activepiecesV3, claims()), store)).project!.name).toBe('p-1')
      expect((await provision(as(activepiecesV3, claims({ projectDisplayName: 'Renamed', tasks: 10 })), store)).project).toMatchObject({
        name: 'Renamed',
        attributes: { tasks: 10 },
      })
    })

    it('keeps two accounts apart even with equal external ids', async () => {
      fresh()
      const a = await provision(as(activepiecesV3, claims()), store)
      fresh()
      const b = await provision(as(activepiecesV3, claims()), store)
      expect(b.created).toEqual({ user: true, project: true })
      expect(b.user.id).not.toBe(a.user.id)
    })
  })

  describe('latenode', () => {
    it('scopes users by tenant, and applies plan_id on the first login only', async () => {
      fresh()
      const first = await provision(as(latenode, { tenant_id: 1, user_id: 'u', plan_id: 3 }), store)
      expect(first.user).toMatchObject({ tenant: '1', attributes: { planId: 3 } })
      const again = await provision(as(latenode, { tenant_id: 1, user_id: 'u', plan_id: 9 }), store)
      expect(again.user).toMatchObject({ id: first.user.id, attributes: { planId: 3 } })
      const otherTenant = await provision(as(latenode, { tenant_id: 2, user_id: 'u', plan_id: 9 }), store)
      expect(otherTenant.user.id).not.toBe(first.user.id)
      expect(otherTenant.user.attributes).toEqual({ planId: 9 })
    })

    it('gives a personal space (its Admin) unless no_personal_space, and grant_access memberships with role ids', async () => {
      fresh()
      const withSpace = await provision(as(latenode, { tenant_id: 1, user_id: 'a', grant_access: [{ space_id: 20, role_id: 3 }] }), store)
      expect(withSpace.project).toMatchObject({ personal: true, adminUserId: withSpace.user.id })
      expect(await store.project(withSpace.project!.id)).toMatchObject({ adminUserId: withSpace.user.id }) // stored, not only answered
      expect(withSpace.role).toBe('ADMIN')
      expect(withSpace.projects.map((p) => p.externalId)).toEqual(['personal:a', '20'])
      const roles = (await store.memberships({ userId: withSpace.user.id })).map((m) => m.role).sort()
      expect(roles).toEqual(['ADMIN', 'NO_CODE'])

      const noSpace = await provision(
        as(latenode, { tenant_id: 1, user_id: 'b', no_personal_space: true, grant_access: [{ space_id: 20, role_id: 4 }] }),
        store,
      )
      expect(noSpace.project).toMatchObject({ externalId: '20', personal: false })
      expect(noSpace.role).toBe('READ_ONLY')
      expect(noSpace.created).toEqual({ user: true, project: false })
    })

    it('keeps one Admin per space: a second Admin grant becomes Manager, noted in the result', async () => {
      fresh()
      const grant = { no_personal_space: true, grant_access: [{ space_id: 7, role_id: 1 }] }
      const first = await provision(as(latenode, { tenant_id: 1, user_id: 'first', ...grant }), store)
      expect(first.role).toBe('ADMIN')
      // the answered space is the stored one, with its new Admin
      expect(first.project).toMatchObject({ externalId: '7', adminUserId: first.user.id })
      const second = await provision(as(latenode, { tenant_id: 1, user_id: 'second', ...grant }), store)
      expect(second.project).toMatchObject({ externalId: '7', adminUserId: first.user.id })
      expect(second.role).toBe('MANAGER')
      expect(second.notes[0]).toContain('already has an Admin')
      // the first Admin logging in again stays Admin
      expect((await provision(as(latenode, { tenant_id: 1, user_id: 'first', ...grant }), store)).role).toBe('ADMIN')
    })

    it('an Admin demoted by a later token releases the space: the next Admin grant makes a real Admin', async () => {
      fresh()
      const admin = (user: string, role: number) =>
        as(latenode, { tenant_id: 1, user_id: user, no_personal_space: true, grant_access: [{ space_id: 7, role_id: role }] })
      const first = await provision(admin('first', 1), store)
      expect(first.project!.adminUserId).toBe(first.user.id)
      const demoted = await provision(admin('first', 2), store)
      expect(demoted.role).toBe('MANAGER')
      expect((await store.project(first.project!.id))!.adminUserId).toBeNull()
      const second = await provision(admin('second', 1), store)
      expect(second.role).toBe('ADMIN')
      expect((await store.project(first.project!.id))!.adminUserId).toBe(second.user.id)
    })

    it('grant_access is the full list: a space left out loses the membership (and the Admin role), the personal space stays', async () => {
      fresh()
      const login = (grants: Array<{ space_id: number; role_id: number }>) =>
        provision(as(latenode, { tenant_id: 1, user_id: 'u', grant_access: grants }), store)
      const first = await login([
        { space_id: 1, role_id: 1 },
        { space_id: 2, role_id: 3 },
        { space_id: 3, role_id: 5 },
      ])
      const memberships = async () => (await store.memberships({ userId: first.user.id })).length
      expect(await memberships()).toBe(4) // personal + 3
      const space1 = first.projects.find((p) => p.externalId === '1')!
      expect(space1.adminUserId).toBe(first.user.id)
      const fewer = await login([{ space_id: 2, role_id: 4 }])
      expect(fewer.notes.join()).toContain('lost access to 2 space(s)')
      const left = await store.memberships({ userId: first.user.id })
      const names = await Promise.all(left.map(async (m) => [(await store.project(m.projectId))!.externalId, m.role]))
      expect(names.sort()).toEqual([
        ['2', 'READ_ONLY'],
        ['personal:u', 'ADMIN'],
      ])
      expect((await store.project(space1.id))!.adminUserId).toBeNull()
      // a token without grant_access leaves the memberships as they are
      await provision(as(latenode, { tenant_id: 1, user_id: 'u' }), store)
      expect(await memberships()).toBe(2)
      // another tenant's spaces are never touched by this tenant's list
      const other = await provision(as(latenode, { tenant_id: 2, user_id: 'u', grant_access: [{ space_id: 9, role_id: 3 }] }), store)
      await login([{ space_id: 2, role_id: 4 }])
      expect(await store.memberships({ userId: other.user.id })).toHaveLength(2)
    })
  })

  describe('raytha', () => {
    it('identifies by sub: or email:; left out = unchanged, given = overrides; groups replaced when given', async () => {
      fresh()
      const first = await provision(
        as(raytha, { sub: 's-1', email: 'ada@example.com', given_name: 'Ada', family_name: 'Lovelace', groups: ['editors'] }),
        store,
      )
      expect(first.project).toBeNull()
      expect(first.user).toMatchObject({
        externalId: 'sub:s-1',
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        attributes: { groups: ['editors'] },
      })

      const same = await provision(as(raytha, { sub: 's-1', email: 'ada@new.example' }), store)
      expect(same.user).toMatchObject({
        id: first.user.id,
        email: 'ada@new.example',
        firstName: 'Ada',
        lastName: 'Lovelace',
        attributes: { groups: ['editors'] },
      })

      const regrouped = await provision(as(raytha, { sub: 's-1', email: 'ada@new.example', family_name: 'King', groups: ['admins', 'authors'] }), store)
      expect(regrouped.user).toMatchObject({ firstName: 'Ada', lastName: 'King', attributes: { groups: ['admins', 'authors'] } })

      const byEmail = await provision(as(raytha, { email: 'Grace.Hopper@example.com' }), store)
      expect(byEmail.user).toMatchObject({ externalId: 'email:grace.hopper@example.com', email: 'Grace.Hopper@example.com' })
      expect(byEmail.created.user).toBe(true)
      expect((await provision(as(raytha, { email: 'grace.hopper@EXAMPLE.com' }), store)).user.id).toBe(byEmail.user.id)
    })

    it('groups: [] clears the groups; a token without groups leaves them', async () => {
      fresh()
      const user = await provision(as(raytha, { sub: 'g', email: 'g@example.com', groups: ['finance-admins'] }), store)
      expect((await provision(as(raytha, { sub: 'g', email: 'g@example.com' }), store)).user.attributes).toEqual({ groups: ['finance-admins'] })
      const cleared = await provision(as(raytha, { sub: 'g', email: 'g@example.com', groups: [] }), store)
      expect(cleared.user).toMatchObject({ id: user.user.id, attributes: { groups: [] } })
      expect((await store.user(user.user.id))!.attributes).toEqual({ groups: [] })
    })

    it("a sub that spells an existing email user's address is another user: no takeover, her groups and email untouched", async () => {
      fresh()
      const cfo = await provision(as(raytha, { email: 'CFO@corp.example', given_name: 'Carla', groups: ['finance-admins'] }), store)
      const intruder = await provision(as(raytha, { sub: 'cfo@corp.example', email: 'mallory@evil.example' }), store)
      expect(intruder.created.user).toBe(true)
      expect(intruder.user.id).not.toBe(cfo.user.id)
      expect(intruder.user.attributes).toEqual({})
      const stored = await store.user(cfo.user.id)
      expect(stored).toMatchObject({ email: 'CFO@corp.example', firstName: 'Carla', attributes: { groups: ['finance-admins'] } })
      // and the other way round: an email token never lands in a sub user
      const subUser = await provision(as(raytha, { sub: 'x@corp.example', email: 'x@corp.example' }), store)
      expect((await provision(as(raytha, { email: 'x@corp.example' }), store)).user.id).not.toBe(subUser.user.id)
    })

    it('gives a new user without names a generated one, which later given names override', async () => {
      fresh()
      const first = await provision(as(raytha, { email: 'grace.hopper@example.com' }), store)
      expect(first.user).toMatchObject({ firstName: 'Grace', lastName: 'Hopper' })
      const named = await provision(as(raytha, { email: 'grace.hopper@example.com', given_name: 'Amazing' }), store)
      expect(named.user).toMatchObject({ firstName: 'Amazing', lastName: 'Hopper' })
    })
  })

  it('writes nothing when a transaction fails half-way', async () => {
    fresh()
    await expect(
      store.transaction(account, async (tx) => {
        await tx.upsertUser({ tenant: '', externalId: 'half', set: { firstName: 'H' }, create: {} })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await store.users({ account })).toEqual([])
  })
})
