// The docs cannot drift from the code: the site builds (dead links fail it), every error code is
// documented, every TypeScript sample type-checks (`tsc` covers docs/samples), and the signing samples
// run — TypeScript, jsonwebtoken, Python, Go, PHP and Ruby — and their tokens pass the platform's verifier.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ErrorCode } from '@sso-embed/protocol'
import { activepiecesV3, createVerifier, generateSigningKey, importPublicKey, latenode, raytha, signEmbedToken, type GeneratedKey } from '@sso-embed/server'
import * as payloads from '../samples/payloads'
import { ensureDebianPackages } from '../../scripts/debian.mjs'

const root = join(import.meta.dirname, '..', '..')
const samples = join(root, 'docs', 'samples')
const dir = mkdtempSync(join(tmpdir(), 'sso-embed-docs-'))
let key: GeneratedKey
let keyFile: string

beforeAll(async () => {
  ensureDebianPackages(['python3-jwt', 'php-cli', 'golang-go', 'ruby', 'ruby-jwt'], 'the Python, Go, PHP and Ruby signing samples')
  key = await generateSigningKey({ alg: 'RS256' })
  keyFile = join(dir, 'private.pem')
  writeFileSync(keyFile, key.privatePem)
}, 900_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const verify = (token: string) => createVerifier({ keys: [{ key: key.publicJwk, account: 'docs' }], profile: 'activepieces-v3' }).verify(token.trim())

test('the site builds with `pnpm docs:build` (typedoc API reference, then VitePress, which fails on dead links)', () => {
  for (const step of [['typedoc'], ['vitepress', 'build', 'docs']]) {
    const result = spawnSync(join(root, 'node_modules', '.bin', step[0]!), step.slice(1), { cwd: root, encoding: 'utf8' })
    expect(result.status, `${step.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0)
  }
}, 300_000)

test('every error code is documented', () => {
  const page = readFileSync(join(root, 'docs', 'errors.md'), 'utf8')
  const missing = Object.values(ErrorCode).filter((code) => !page.includes(`| \`${code}\` |`))
  expect(missing).toEqual([])
})

test('CONTRIBUTING.md lists every script of the root package.json, and no script that is not there', () => {
  const page = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8')
  const scripts = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>)
  const listed = [...page.matchAll(/^\| `pnpm ([\w:-]+)[^`]*` \|/gm)].map((match) => match[1])
  expect(listed.sort()).toEqual(scripts.sort())
})

test('the payload of each claim profile passes that profile', () => {
  expect(activepiecesV3.identify(payloads.activepiecesV3)).toMatchObject({ userId: 'user-42', project: { externalId: 'team-7', role: 'EDITOR' } })
  expect(latenode.identify(payloads.latenode)).toMatchObject({
    tenant: '1042',
    user: { createAttributes: { planId: 3 } },
    data: { grants: [{ spaceId: 7, roleId: 2 }] },
  })
  // raytha identities are namespaced: a sub is never an email user
  expect(raytha.identify(payloads.raytha)).toMatchObject({ userId: 'sub:user-42', user: { attributes: { groups: ['editors'] } } })
})

describe('the signing samples sign tokens the platform accepts', () => {
  test('@sso-embed/server (sign-server.ts)', async () => {
    process.env['SSO_EMBED_PRIVATE_KEY'] = key.privatePem
    process.env['SSO_EMBED_KID'] = key.kid
    const { embedToken } = await import('../samples/sign-server')
    const token = await embedToken({ id: 'u-1', firstName: 'Ada', lastName: 'Lovelace', teamId: 't-1', teamName: 'Team' })
    expect((await verify(token)).identity).toMatchObject({ userId: 'u-1', project: { externalId: 't-1', name: 'Team' } })
  })

  test('jsonwebtoken (sign-jsonwebtoken.ts)', async () => {
    const { embedToken } = await import('../samples/sign-jsonwebtoken')
    expect((await verify(embedToken(key.privatePem, key.kid))).identity.userId).toBe('user_id')
  })

  test('keys.ts prints a key pair whose private key signs what its public key verifies', async () => {
    const output = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=@sso-embed/source', join(samples, 'keys.ts')], {
      cwd: root,
      encoding: 'utf8',
    })
    const pair = JSON.parse(output) as { kid: string; publicPem: string; privatePem: string }
    expect(pair).toMatchObject({
      kid: expect.any(String),
      publicPem: expect.stringContaining('BEGIN PUBLIC KEY'),
      privatePem: expect.stringContaining('BEGIN PRIVATE KEY'),
    })
    const token = await signEmbedToken(payloads.activepiecesV3, { privateKey: pair.privatePem, kid: pair.kid })
    const platform = createVerifier({ keys: [importPublicKey(pair.publicPem, { kid: pair.kid, account: 'docs' })], profile: 'activepieces-v3' })
    expect((await platform.verify(token)).key.kid).toBe(pair.kid)
  })

  test.each([
    ['Python (PyJWT)', '/usr/bin/python3', ['sign.py']],
    ['Go (standard library)', 'go', ['run', 'sign.go']],
    ['PHP (openssl)', 'php', ['sign.php']],
    ['Ruby (jwt gem)', 'ruby', ['sign.rb']],
  ])(
    '%s',
    async (_, command, args) => {
      const token = execFileSync(command, args, {
        cwd: samples,
        encoding: 'utf8',
        env: { ...process.env, PRIVATE_KEY_FILE: keyFile, KID: key.kid, GOCACHE: join(dir, 'go-cache'), GOPATH: join(dir, 'go'), GO111MODULE: 'off' },
        timeout: 120_000,
      })
      const { identity, header } = await verify(token)
      expect(header).toMatchObject({ alg: 'RS256', kid: key.kid })
      expect(identity).toMatchObject({ userId: 'user-42', user: { firstName: 'Ada', lastName: 'Lovelace' }, project: { externalId: 'team-7', role: 'EDITOR' } })
    },
    180_000,
  )
})
