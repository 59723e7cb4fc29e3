// Shared by the server tests: keys, valid claims, and a raw signer that can put anything in a token.
import { execFileSync } from 'node:child_process'
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Algorithm } from '../src/keys/algorithms'
import { signBytes } from '../src/token/signature'

/** Valid activepieces-v3 claims (without iat/exp). */
export const apClaims = (overrides: Record<string, unknown> = {}) => ({
  version: 'v3',
  externalUserId: 'user-1',
  externalProjectId: 'project-1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  role: 'EDITOR',
  ...overrides,
})

export const now = () => Math.floor(Date.now() / 1000)

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/** Signs any header and payload (objects are JSON-encoded) with `alg` — for tokens our own signer refuses to make. */
export function signRaw(header: unknown, payload: unknown, privateKey: string | KeyObject, alg: Algorithm = 'RS256'): string {
  const input = `${b64(header)}.${b64(payload)}`
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey
  return `${input}.${signBytes(alg, key, input).toString('base64url')}`
}

/** Runs the `openssl` command line in a temporary directory; `files` maps output names to their text. */
export function openssl(commands: string[][]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'sso-embed-openssl-'))
  try {
    for (const args of commands) execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
    const out: Record<string, string> = {}
    for (const args of commands) {
      const i = args.indexOf('-out')
      if (i >= 0) out[args[i + 1]!] = readFileSync(join(dir, args[i + 1]!), 'utf8')
    }
    return out
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
