import { mkdir, readFile, writeFile, access } from 'node:fs/promises'
import { resolve, join } from 'node:path'
import { parseArgs } from 'node:util'
import { SDK_VERSION } from '@sso-embed/protocol'
import { ALGORITHMS, isAlgorithm, type Algorithm } from '../keys/algorithms'
import { toSeconds } from '../duration'
import { EmbedTokenError, KeyRejectedError } from '../errors'
import { generateSigningKey } from '../keys/generate'
import { inspectToken } from '../token/inspect'
import { parseToken } from '../token/parse'
import { profiles } from '../profiles/index'
import { importPublicKey, importPublicKeys } from '../keys/public-key'
import { signEmbedToken } from '../token/sign'
import { createVerifier } from '../token/verify'

/**
 * `args` with each string option joined to its value (`--kid -x…` → `--kid=-x…`): a value may start
 * with "-" (a kid is base64url: one in 64 does), which `parseArgs` alone refuses as ambiguous.
 */
function joinValues(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') return [...joined, ...args.slice(i)]
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < args.length) joined.push(`${arg}=${args[++i]}`)
    else joined.push(arg)
  }
  return joined
}

/** Where the CLI reads and writes; `process` in the real binary, strings in tests. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  readStdin: () => Promise<string>
  /** Directory relative paths are resolved against. */
  cwd: string
}

export const USAGE = `sso-embed ${SDK_VERSION} — keys and embed tokens

Usage:
  sso-embed keys generate [--alg ALG] [--out DIR]
      Writes DIR/sso-embed-KID.private.pem, .public.pem and .public.jwk.json; prints the kid.
  sso-embed token sign --key PRIVATE.pem (--kid KID | --no-kid) --claims JSON|@FILE
                       [--alg ALG] [--profile NAME] [--expires-in 5m]
      Prints a signed JWT (iat, exp and a random jti are added).
  sso-embed token verify --key FILE [--kid KID] [--alg ALG] [--profile NAME]
                         [--max-lifetime 1h] [--require-jti] TOKEN|-
      FILE is a PEM public key, a JWK or a JWK Set. Exit 0 and {"identity","claims","header"},
      or exit 1 and {"error":{"code","message","claim"}}.
  sso-embed token inspect TOKEN|-
      Prints header and claims without verifying, and warns about what looks risky.

  ALG: ${ALGORITHMS.join(', ')} (default RS256)
  NAME: ${Object.keys(profiles).join(', ')} (default activepieces-v3)
  "-" reads the token from stdin. Exit codes: 0 ok, 1 token rejected, 2 usage or key error.
`

class UsageError extends Error {}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

function algOption(value: string | undefined): Algorithm | undefined {
  if (value === undefined) return undefined
  if (!isAlgorithm(value)) throw new UsageError(`--alg must be one of ${ALGORITHMS.join(', ')} (got ${JSON.stringify(value)})`)
  return value
}

function profileOption(value: string | undefined): string {
  const name = value ?? 'activepieces-v3'
  if (!Object.hasOwn(profiles, name)) throw new UsageError(`--profile must be one of ${Object.keys(profiles).join(', ')} (got ${JSON.stringify(name)})`)
  return name
}

function durationOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  try {
    return toSeconds(value, flag)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

async function readText(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

async function tokenArgument(io: CliIo, positionals: string[]): Promise<string> {
  if (positionals.length !== 1) throw new UsageError('give exactly one token, or "-" to read it from stdin')
  const token = positionals[0] === '-' ? (await io.readStdin()).trim() : positionals[0]!
  if (!token) throw new UsageError('no token given (stdin was empty)')
  return token
}

async function keysGenerate(io: CliIo, args: string[]): Promise<number> {
  const options = { alg: { type: 'string' }, out: { type: 'string' } } as const
  const { values } = parseArgs({ args: joinValues(args, options), options, strict: true, allowPositionals: false })
  const alg = algOption(values.alg) ?? 'RS256'
  const dir = resolve(io.cwd, values.out ?? '.')
  const key = await generateSigningKey({ alg })
  const base = join(dir, `sso-embed-${key.kid}`)
  const files = [
    { path: `${base}.private.pem`, text: key.privatePem, mode: 0o600, what: 'private key, PEM (mode 600)' },
    { path: `${base}.public.pem`, text: key.publicPem, mode: 0o644, what: 'public key, PEM' },
    { path: `${base}.public.jwk.json`, text: json(key.publicJwk), mode: 0o644, what: 'public key, JWK' },
  ]
  await mkdir(dir, { recursive: true })
  for (const file of files) {
    const exists = await access(file.path).then(
      () => true,
      () => false,
    )
    if (exists) throw new UsageError(`${file.path} exists; not overwriting it`)
  }
  for (const file of files) await writeFile(file.path, file.text, { mode: file.mode, flag: 'wx' })
  io.stdout(`${key.kid}\n`)
  // stdout stays the kid alone (scripts read it); what was written where goes to stderr
  io.stderr(
    `${alg} key pair ${key.kid} written:\n${files.map((f) => `  ${f.what.padEnd(28)} ${f.path}`).join('\n')}\nRegister the public key with the platform; keep the private key secret (it is not stored anywhere else).\n`,
  )
  return 0
}

async function tokenSign(io: CliIo, args: string[]): Promise<number> {
  const options = {
    key: { type: 'string' },
    kid: { type: 'string' },
    'no-kid': { type: 'boolean' },
    alg: { type: 'string' },
    profile: { type: 'string' },
    'expires-in': { type: 'string' },
    claims: { type: 'string' },
  } as const
  const { values } = parseArgs({
    args: joinValues(args, options),
    options,
    strict: true,
    allowPositionals: false,
  })
  if (!values.key) throw new UsageError('--key PRIVATE.pem is required')
  if (values.claims === undefined) throw new UsageError('--claims is required: a JSON object, or @FILE to read one')
  if (values.kid === undefined && !values['no-kid'])
    throw new UsageError('--kid KID is required (the id the platform registered the public key under), or --no-kid')
  if (values.kid !== undefined && values['no-kid']) throw new UsageError('give --kid or --no-kid, not both')
  const text = values.claims.startsWith('@') ? await readText(io, values.claims.slice(1), 'claims file') : values.claims
  let claims: unknown
  try {
    claims = JSON.parse(text)
  } catch {
    throw new UsageError('--claims is not valid JSON')
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new UsageError('--claims must be a JSON object')
  for (const name of ['iat', 'exp']) if (name in claims) throw new UsageError(`leave "${name}" out of --claims; use --expires-in`)
  const alg = algOption(values.alg)
  const expiresIn = durationOption(values['expires-in'], '--expires-in')
  const profile = values.profile === undefined ? undefined : profileOption(values.profile)
  const privateKey = await readText(io, values.key, 'key file')
  const token = await signEmbedToken(claims as Record<string, unknown>, {
    privateKey,
    kid: values['no-kid'] ? false : values.kid!,
    ...(alg && { alg }),
    ...(expiresIn !== undefined && { expiresIn }),
    ...(profile && { profile }),
  })
  io.stdout(`${token}\n`)
  return 0
}

async function tokenVerify(io: CliIo, args: string[]): Promise<number> {
  const options = {
    key: { type: 'string' },
    kid: { type: 'string' },
    alg: { type: 'string' },
    profile: { type: 'string' },
    'max-lifetime': { type: 'string' },
    'require-jti': { type: 'boolean' },
  } as const
  const { values, positionals } = parseArgs({
    args: joinValues(args, options),
    options,
    strict: true,
    allowPositionals: true,
  })
  if (!values.key) throw new UsageError('--key FILE is required (a PEM public key, a JWK or a JWK Set)')
  const alg = algOption(values.alg)
  const profile = profileOption(values.profile)
  const maxLifetime = durationOption(values['max-lifetime'], '--max-lifetime')
  const token = await tokenArgument(io, positionals)
  const text = await readText(io, values.key, 'key file')
  // the CLI checks tokens as a platform would, for one account of its own
  let keys = importPublicKeys(text, { account: 'cli', ...(alg && { alg }) })
  const single = text.trim().startsWith('{') ? (JSON.parse(text) as { kid?: unknown; keys?: unknown }) : undefined
  if (single === undefined || (single.keys === undefined && typeof single.kid !== 'string')) {
    // A PEM (or a JWK without kid) carries no key id: use --kid, else the token's own, else the thumbprint.
    const kid = values.kid ?? headerKid(token)
    if (kid !== undefined) keys = [importPublicKey(text, { account: 'cli', ...(alg && { alg }), kid })]
  } else if (values.kid !== undefined) {
    keys = keys.filter((key) => key.kid === values.kid)
    if (keys.length === 0) throw new UsageError(`no key in ${values.key} has kid ${JSON.stringify(values.kid)}`)
  }
  const verifier = createVerifier({
    keys,
    profile,
    ...(maxLifetime !== undefined && { maxLifetime }),
    ...(values['require-jti'] && { requireJti: true }),
  })
  const { identity, claims, header } = await verifier.verify(token)
  io.stdout(json({ identity, claims, header }))
  return 0
}

/** The token's `kid`, or undefined when it has none or cannot be read (the verifier then says why). */
function headerKid(token: string): string | undefined {
  try {
    return parseToken(token, Number.MAX_SAFE_INTEGER).header.kid
  } catch {
    return undefined
  }
}

async function tokenInspect(io: CliIo, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true })
  const inspection = inspectToken(await tokenArgument(io, positionals))
  io.stdout(json(inspection))
  for (const warning of inspection.warnings) io.stderr(`warning: ${warning}\n`)
  return 0
}

/** Runs the `sso-embed` command line; resolves the exit code (0 ok, 1 token rejected, 2 usage or key error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [group, command, ...args] = argv
  try {
    if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
      ;(group === undefined ? io.stderr : io.stdout)(USAGE)
      return group === undefined ? 2 : 0
    }
    if (group === '--version' || group === '-v') {
      io.stdout(`${SDK_VERSION}\n`)
      return 0
    }
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(USAGE)
      return 0
    }
    const run =
      group === 'keys' && command === 'generate'
        ? keysGenerate
        : group === 'token' && command === 'sign'
          ? tokenSign
          : group === 'token' && command === 'verify'
            ? tokenVerify
            : group === 'token' && command === 'inspect'
              ? tokenInspect
              : undefined
    if (!run) throw new UsageError(`unknown command "${[group, command].filter(Boolean).join(' ')}"`)
    return await run(io, args)
  } catch (error) {
    if (error instanceof EmbedTokenError) {
      io.stdout(json({ error: error.toJSON() }))
      return 1
    }
    if (error instanceof KeyRejectedError) {
      io.stdout(json({ error: { code: error.code, message: error.message } }))
      io.stderr(`sso-embed: ${error.message}\n`)
      return 2
    }
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || error instanceof TypeError
    if (usage) {
      io.stderr(`sso-embed: ${(error as Error).message}\nRun "sso-embed --help" for usage.\n`)
      return 2
    }
    io.stderr(`sso-embed: unexpected error: ${(error as Error).stack ?? String(error)}\n`)
    return 1
  }
}
