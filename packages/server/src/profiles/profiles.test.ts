import { describe, expect, it } from 'vitest'
import { apClaims } from '../../test/fixtures'
import { definedOnly } from './claims'
import { defineProfile } from './profile'
import { activepiecesV3, getProfile, latenode, raytha, raythaProfile } from './index'

const rejects = (fn: () => unknown, code: string, claim: string) => {
  expect(fn).toThrow(expect.objectContaining({ name: 'EmbedTokenError', code, claim }))
}

describe('activepieces-v3 (and rantir)', () => {
  it('maps the documented claims', () => {
    expect(getProfile('rantir')).toBe(activepiecesV3)
    expect(activepiecesV3.identify({ ...apClaims(), role: 'ADMIN', aiCredits: 250, tasks: 50000 })).toEqual({
      profile: 'activepieces-v3',
      tenant: '',
      userId: 'user-1',
      userIdClaim: 'externalUserId',
      user: { firstName: 'Ada', lastName: 'Lovelace' },
      project: { externalId: 'project-1', role: 'ADMIN', attributes: { tasks: 50000, aiCredits: 250 } },
    })
  })
  it.each([
    ['version', { version: 'v4' }, 'CLAIM_INVALID'],
    ['version', { version: undefined }, 'CLAIM_MISSING'],
    ['externalUserId', { externalUserId: '' }, 'CLAIM_INVALID'],
    ['externalUserId', { externalUserId: 42 }, 'CLAIM_INVALID'],
    ['externalProjectId', { externalProjectId: null }, 'CLAIM_MISSING'],
    ['firstName', { firstName: undefined }, 'CLAIM_MISSING'],
    ['role', { role: 'OWNER' }, 'CLAIM_INVALID'],
    ['piecesFilterType', { piecesFilterType: 'SOME' }, 'CLAIM_INVALID'],
    ['piecesFilterType', { piecesTags: ['a'] }, 'CLAIM_INVALID'],
    ['piecesTags', { piecesFilterType: 'ALLOWED', piecesTags: ['a', 'a'] }, 'CLAIM_INVALID'],
    ['tasks', { tasks: 1.5 }, 'CLAIM_INVALID'],
    ['aiCredits', { aiCredits: -1 }, 'CLAIM_INVALID'],
    ['tasks', { tasks: 3_000_000_000 }, 'CLAIM_INVALID'], // beyond the stores' integer column
  ])('%s: %j → %s', (claim, change, code) => {
    rejects(() => activepiecesV3.identify({ ...apClaims(), ...change }), code, claim)
  })
})

describe('latenode', () => {
  const base = { tenant_id: 7, user_id: 'u-1' }
  it('scopes users by tenant, keeps the plan and a personal space by default', () => {
    expect(latenode.identify({ ...base, plan_id: 3 })).toEqual({
      profile: 'latenode',
      tenant: '7',
      userId: 'u-1',
      userIdClaim: 'user_id',
      user: { createAttributes: { planId: 3 } },
      data: { personalSpace: true, grants: undefined },
    })
  })
  it('no_personal_space with grant_access', () => {
    const identity = latenode.identify({
      ...base,
      no_personal_space: true,
      grant_access: [
        { space_id: 1, role_id: 1 },
        { space_id: 2, role_id: 4 },
      ],
    })
    expect(identity).toMatchObject({
      data: {
        personalSpace: false,
        grants: [
          { spaceId: 1, roleId: 1 },
          { spaceId: 2, roleId: 4 },
        ],
      },
    })
  })
  it.each([
    ['tenant_id', { tenant_id: '7' }, 'CLAIM_INVALID'],
    ['tenant_id', { tenant_id: undefined }, 'CLAIM_MISSING'],
    ['user_id', { user_id: undefined }, 'CLAIM_MISSING'],
    ['plan_id', { plan_id: 'pro' }, 'CLAIM_INVALID'],
    ['plan_id', { plan_id: 2 ** 31 }, 'CLAIM_INVALID'],
    ['no_personal_space', { no_personal_space: 'yes' }, 'CLAIM_INVALID'],
    ['grant_access', { no_personal_space: true }, 'CLAIM_MISSING'],
    ['grant_access', { no_personal_space: true, grant_access: [] }, 'CLAIM_MISSING'],
    ['grant_access[0].role_id', { grant_access: [{ space_id: 1, role_id: 6 }] }, 'CLAIM_INVALID'],
    ['grant_access[0].space_id', { grant_access: [{ role_id: 2 }] }, 'CLAIM_MISSING'],
    ['grant_access[1]', { grant_access: [{ space_id: 1, role_id: 2 }, 'x'] }, 'CLAIM_INVALID'],
    [
      'grant_access',
      {
        grant_access: [
          { space_id: 1, role_id: 2 },
          { space_id: 1, role_id: 3 },
        ],
      },
      'CLAIM_INVALID',
    ],
  ])('%s: %j → %s', (claim, change, code) => {
    rejects(() => latenode.identify({ ...base, ...change }), code, claim)
  })
})

describe('raytha', () => {
  it('identifies by sub, else by email; leaves out what the token leaves out', () => {
    expect(raytha.identify({ email: 'Ada@Example.com', sub: 'u-1', given_name: 'Ada', groups: ['editors'] })).toEqual({
      profile: 'raytha',
      tenant: '',
      userId: 'sub:u-1',
      userIdClaim: 'sub',
      user: { email: 'Ada@Example.com', firstName: 'Ada', attributes: { groups: ['editors'] } },
    })
    expect(raytha.identify({ email: 'Ada@Example.com' })).toEqual({
      profile: 'raytha',
      tenant: '',
      userId: 'email:ada@example.com',
      userIdClaim: 'email',
      user: { email: 'Ada@Example.com' },
    })
  })
  it('requires an email address, and a jti when configured so', () => {
    rejects(() => raytha.identify({ sub: 'u' }), 'CLAIM_MISSING', 'email')
    rejects(() => raytha.identify({ email: 'not-an-email' }), 'CLAIM_INVALID', 'email')
    rejects(() => raytha.identify({ email: 'a@b.co', groups: 'admins' }), 'CLAIM_INVALID', 'groups')
    expect(raytha.requireJti).toBe(false)
    expect(raythaProfile({ requireJti: true }).requireJti).toBe(true)
  })
})

describe('claim strings: two different claimed strings are never one user, a bad one is CLAIM_INVALID naming the claim', () => {
  it.each([
    ['NUL', 'ada\u0000'],
    ['a lone high surrogate', 'x\ud800'],
    ['a lone low surrogate', 'x\udbff'],
    ['a newline', 'ada\nlovelace'],
    ['a C1 control', 'ada\u0085'],
    ['a line separator', 'ada\u2028'],
    ['a string over 256 characters', 'a'.repeat(257)],
    ['10 KB', 'a'.repeat(10_000)],
    ['not NFC (e + combining acute)', 'jose\u0301'],
    ['only spaces', '   '],
  ])('%s', (_, value) => {
    rejects(() => activepiecesV3.identify({ ...apClaims(), externalUserId: value }), 'CLAIM_INVALID', 'externalUserId')
    rejects(() => activepiecesV3.identify({ ...apClaims(), firstName: value }), 'CLAIM_INVALID', 'firstName')
    rejects(() => latenode.identify({ tenant_id: 1, user_id: value }), 'CLAIM_INVALID', 'user_id')
    rejects(() => raytha.identify({ email: 'a@b.co', sub: value }), 'CLAIM_INVALID', 'sub')
    rejects(() => raytha.identify({ email: 'a@b.co', groups: ['ok', value] }), 'CLAIM_INVALID', 'groups[1]')
  })
  it('accepts what is well-formed: astral characters, NFC accents, 256 characters', () => {
    for (const value of ['\u{1F600}-user', 'jos\u00e9', 'a'.repeat(256), 'Zoë Ångström']) {
      expect(activepiecesV3.identify({ ...apClaims(), externalUserId: value }).userId).toBe(value)
    }
  })
})

describe('defineProfile', () => {
  it('defines a contract with the same coded errors', () => {
    const acme = defineProfile({
      name: 'acme',
      identify: (read) => ({
        tenant: read.string('org'),
        userId: read.string('sub'),
        userIdClaim: 'sub',
        user: definedOnly({ email: read.optional.string('email') }),
      }),
    })
    expect(acme.identify({ org: 'o', sub: 's' })).toEqual({ profile: 'acme', tenant: 'o', userId: 's', userIdClaim: 'sub', user: {} })
    rejects(() => acme.identify({ sub: 's' }), 'CLAIM_MISSING', 'org')
    expect(() => acme.identify({ sub: 's' })).toThrow('Claim "org" is missing; the acme profile requires it.')
    expect(() => defineProfile({ name: '', identify: () => ({}) as never })).toThrow(TypeError)
  })
  it('getProfile names the built-in profiles when the name is unknown', () => {
    expect(() => getProfile('activepieces')).toThrow(/activepieces-v3, rantir, latenode, raytha/)
  })
})
