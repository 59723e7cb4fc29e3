import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { apClaims, now, signRaw } from '../../test/fixtures'
import { runCli } from './cli'

const root = join(import.meta.dirname, '..', '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'sso-embed-cli-'))

async function cli(argv: string[], stdin = '') {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => stdin,
    cwd: dir,
  })
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }
}

const generated = await cli(['keys', 'generate', '--out', 'keys'])
const kid = generated.stdout.trim()
const file = (suffix: string) => join('keys', `sso-embed-${kid}.${suffix}`)
const claims = JSON.stringify(apClaims())
/** `token sign` with the generated key; `options` go before `--claims`. */
const sign = (claimsArg: string, options: string[] = []) =>
  cli(['token', 'sign', '--key', file('private.pem'), '--kid', kid, ...options, '--claims', claimsArg])
const privatePem = () => readFileSync(join(dir, file('private.pem')), 'utf8')

describe('sso-embed keys generate', () => {
  it('writes the key pair files (private key readable by its owner only) and prints the kid', () => {
    expect(generated.code).toBe(0)
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(readdirSync(join(dir, 'keys')).sort()).toEqual([`sso-embed-${kid}.private.pem`, `sso-embed-${kid}.public.jwk.json`, `sso-embed-${kid}.public.pem`])
    expect(statSync(join(dir, file('private.pem'))).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(join(dir, file('public.jwk.json')), 'utf8'))).toMatchObject({ kid, alg: 'RS256', use: 'sig' })
    expect(generated.stderr).toContain('keep the private key secret')
    expect(generated.stdout).toBe(`${kid}\n`)
    // what was written where, on stderr: one line a file
    const listed = generated.stderr.split('\n').map((line) => line.trim().split(/ {2,}/))
    expect(listed).toContainEqual(['private key, PEM (mode 600)', join(dir, file('private.pem'))])
    expect(listed).toContainEqual(['public key, PEM', join(dir, file('public.pem'))])
    expect(listed).toContainEqual(['public key, JWK', join(dir, file('public.jwk.json'))])
  })
  it('--alg ES256K; a bad --alg is a usage error (exit 2)', async () => {
    expect((await cli(['keys', 'generate', '--alg', 'ES256K', '--out', 'k2'])).code).toBe(0)
    const bad = await cli(['keys', 'generate', '--alg', 'HS256'])
    expect(bad).toMatchObject({ code: 2, stdout: '' })
    expect(bad.stderr).toContain('--alg must be one of RS256')
  })
})

describe('sso-embed token sign / verify', () => {
  it('signs a token that verifies (exit 0 and { identity, claims, header }), also from stdin and with a JWKS', async () => {
    const signed = await sign(claims, ['--profile', 'activepieces-v3', '--expires-in', '60s'])
    expect(signed.code).toBe(0)
    const token = signed.stdout.trim()
    const verified = await cli(['token', 'verify', '--key', file('public.pem'), token])
    expect(verified.code).toBe(0)
    expect(verified.json()).toMatchObject({ identity: { userId: 'user-1' }, claims: { externalUserId: 'user-1' }, header: { alg: 'RS256', kid } })
    expect(verified.json().claims.exp - verified.json().claims.iat).toBe(60)
    expect((await cli(['token', 'verify', '--key', file('public.jwk.json'), '-'], `${token}\n`)).code).toBe(0)
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [JSON.parse(readFileSync(join(dir, file('public.jwk.json')), 'utf8'))] }))
    expect((await cli(['token', 'verify', '--key', 'jwks.json', '--kid', kid, token])).code).toBe(0)
  })

  it('takes an option value that starts with "-" (one kid in 64 does: base64url)', async () => {
    const signed = await cli(['token', 'sign', '--key', file('private.pem'), '--kid', '-dashed_kid', '--profile', 'activepieces-v3', '--claims', claims])
    expect(signed.code, signed.stderr).toBe(0)
    const verified = await cli(['token', 'verify', '--key', file('public.pem'), '--kid', '-dashed_kid', signed.stdout.trim()])
    expect(verified.code, verified.stderr).toBe(0)
    expect(verified.json().header).toMatchObject({ kid: '-dashed_kid' })
    // an option left without its value is still a usage error
    expect((await cli(['token', 'sign', '--key', file('private.pem'), '--kid'])).code).toBe(2)
  })

  it('reads claims from @file', async () => {
    writeFileSync(join(dir, 'claims.json'), claims)
    const signed = await sign('@claims.json')
    expect(signed.code).toBe(0)
  })

  it('a rejected token: exit 1 and { error: { code, message, claim } }', async () => {
    const old = signRaw({ alg: 'RS256', kid }, { ...apClaims(), iat: now() - 600, exp: now() - 300 }, privatePem())
    const expired = await cli(['token', 'verify', '--key', file('public.pem'), old])
    expect(expired.code).toBe(1)
    expect(expired.json()).toEqual({ error: { code: 'TOKEN_EXPIRED', message: expect.stringContaining('expired 5m ago'), claim: 'exp' } })

    const signed = (await sign(claims, ['--expires-in', '30m'])).stdout.trim()
    const long = await cli(['token', 'verify', '--key', file('public.pem'), '--max-lifetime', '10m', signed])
    expect(long.json().error).toMatchObject({ code: 'LIFETIME_TOO_LONG', claim: 'exp' })
    const wrongProfile = await cli(['token', 'verify', '--key', file('public.pem'), '--profile', 'raytha', signed])
    expect(wrongProfile).toMatchObject({ code: 1 })
    expect(wrongProfile.json().error).toMatchObject({ code: 'CLAIM_MISSING', claim: 'email' })
    expect((await cli(['token', 'verify', '--key', file('public.pem'), 'not.a.jwt'])).json().error.code).toBe('TOKEN_MALFORMED')
    const noJti = signRaw({ alg: 'RS256', kid }, { ...apClaims(), iat: now(), exp: now() + 60 }, privatePem())
    expect((await cli(['token', 'verify', '--key', file('public.pem'), noJti])).code).toBe(0)
    const required = await cli(['token', 'verify', '--key', file('public.pem'), '--require-jti', noJti])
    expect(required.code).toBe(1)
    expect(required.json().error).toMatchObject({ code: 'CLAIM_MISSING', claim: 'jti' })
  })

  it('sign refuses claims that break the profile: exit 1 with the coded error', async () => {
    const bad = await sign(JSON.stringify(apClaims({ role: 'OWNER' })), ['--profile', 'activepieces-v3'])
    expect(bad.code).toBe(1)
    expect(bad.json().error).toMatchObject({ code: 'CLAIM_INVALID', claim: 'role' })
  })

  it.each([
    [['token', 'sign', '--kid', 'k', '--claims', '{}'], '--key PRIVATE.pem is required'],
    [['token', 'sign', '--key', 'x.pem', '--claims', '{}'], '--kid KID is required'],
    [['token', 'sign', '--key', 'missing.pem', '--kid', 'k', '--claims', '{}'], 'cannot read key file "missing.pem": ENOENT'],
    [['token', 'sign', '--key', 'x.pem', '--kid', 'k', '--claims', '{oops'], '--claims is not valid JSON'],
    [['token', 'sign', '--key', 'x.pem', '--kid', 'k', '--claims', '{"exp":1}'], 'leave "exp" out of --claims'],
    [['token', 'sign', '--key', 'x.pem', '--kid', 'k', '--claims', '{}', '--expires-in', 'soon'], '--expires-in must be'],
    [['token', 'verify', 'abc'], '--key FILE is required'],
    [['token', 'verify', '--key', 'x.pem'], 'give exactly one token'],
    [['token', 'verify', '--key', 'x.pem', '--profile', 'acme', 'abc'], '--profile must be one of'],
    [['token', 'verify', '--key', 'x.pem', '--frobnicate', 'abc'], "Unknown option '--frobnicate'"],
    [['token', 'inspect', '-'], 'no token given (stdin was empty)'],
    [['token', 'mint'], 'unknown command "token mint"'],
    [[], 'Usage:'],
  ])('usage error: %j → exit 2, "%s"', async (argv, message) => {
    const result = await cli(argv)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })

  it('a key file that is not an acceptable key: exit 2 with KEY_REJECTED', async () => {
    writeFileSync(join(dir, 'secret.json'), JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }))
    const result = await cli(['token', 'verify', '--key', 'secret.json', 'a.b.c'])
    expect(result.code).toBe(2)
    expect(result.json().error).toMatchObject({ code: 'KEY_REJECTED' })
    const priv = await cli(['token', 'verify', '--key', file('private.pem'), 'a.b.c'])
    expect(priv.code).toBe(2)
    expect(priv.json().error).toMatchObject({ code: 'KEY_REJECTED', message: expect.stringContaining('This is a private key') })
  })
})

describe('sso-embed token inspect', () => {
  it('prints header, claims and times, and warns about long lifetime, missing kid and jti', async () => {
    const token = signRaw({ alg: 'RS256' }, { ...apClaims(), iat: now(), exp: now() + 3600 }, privatePem())
    const result = await cli(['token', 'inspect', token])
    expect(result.code).toBe(0)
    expect(result.json()).toMatchObject({ header: { alg: 'RS256' }, claims: { externalUserId: 'user-1' }, times: { exp: expect.stringMatching(/Z$/) } })
    expect(result.json().warnings).toEqual([
      expect.stringContaining('no "kid"'),
      expect.stringContaining('lifetime 1h is over 5 minutes'),
      expect.stringContaining('no "jti"'),
    ])
    expect(result.stderr).toContain('warning: no "kid"')
  })
  it('a token it cannot decode: exit 1 with TOKEN_MALFORMED', async () => {
    const result = await cli(['token', 'inspect', 'hello'])
    expect(result.code).toBe(1)
    expect(result.json().error.code).toBe('TOKEN_MALFORMED')
  })
})

describe('the `sso-embed` script of the repository root', () => {
  it('runs the CLI as a process: exit codes 0, 1 and 2', () => {
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['sso-embed']!
    const [bin, ...args] = script.split(' ')
    const run = (argv: string[], input?: string) =>
      spawnSync(join(root, 'node_modules', '.bin', bin!), [...args, ...argv], { cwd: root, input, encoding: 'utf8', env: { ...process.env, INIT_CWD: dir } })
    const token = signRaw({ alg: 'RS256', kid }, { ...apClaims(), iat: now(), exp: now() + 60 }, privatePem())
    const ok = run(['token', 'verify', '--key', file('public.pem'), '-'], token)
    expect(ok.status, ok.stderr).toBe(0)
    expect(JSON.parse(ok.stdout).identity.userId).toBe('user-1')
    expect(run(['token', 'verify', '--key', file('public.pem'), `${token}x`]).status).toBe(1)
    expect(run(['token', 'verify']).status).toBe(2)
  }, 60_000) // three tsx processes: slow on a loaded machine
})
