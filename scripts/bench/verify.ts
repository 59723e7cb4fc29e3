// Tokens verified per second on one core, on the same RS256 and ES256 tokens, by
//   - createVerifier (every rule of the verifier, the activepieces-v3 profile),
//   - a bare jose jwtVerify (signature, exp), and
//   - a bare node:crypto signature check (the primitive createVerifier itself uses),
// The target (≤ 10% slower than bare jose) is on the "vs jose" column; the last column is what our
// parsing and rules add per token on top of the bare signature check, for information.
// Short rounds alternate between the three so machine noise hits all alike; figures are medians over
// rounds, and the cost is the median of per-round ratios (each round ran its three back to back).
import { verify as verifySignature } from 'node:crypto'
import { jwtVerify } from 'jose'
import { createVerifier, generateSigningKey, importPublicKey, signEmbedToken } from '../../packages/server/src/index'

const ROUNDS = 31
const ROUND_MS = 60

async function rate(fn: () => unknown): Promise<number> {
  let count = 0
  const start = performance.now()
  let elapsed = 0
  while ((elapsed = performance.now() - start) < ROUND_MS) {
    await fn()
    count++
  }
  return (count * 1000) / elapsed
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
const fmt = (n: number) => `${n.toFixed(0).padStart(7)}/s`

export async function benchVerify(): Promise<void> {
  console.log(`\nToken verification (one core; ${ROUNDS} alternating rounds of ${ROUND_MS} ms; medians):`)
  console.log('alg     createVerifier   jose jwtVerify   vs jose (target ≥ 0.91×)   bare signature   our checks add')
  for (const alg of ['RS256', 'ES256'] as const) {
    const generated = await generateSigningKey({ alg })
    const key = importPublicKey(generated.publicPem, { kid: generated.kid, account: 'bench' })
    const token = await signEmbedToken(
      { version: 'v3', externalUserId: 'u', externalProjectId: 'p', firstName: 'A', lastName: 'L', role: 'EDITOR' },
      { privateKey: generated.privatePem, kid: generated.kid },
    )
    const verifier = createVerifier({ keys: [key], profile: 'activepieces-v3' })
    const [h, p, s] = token.split('.') as [string, string, string]
    const data = Buffer.from(`${h}.${p}`)
    const signature = Buffer.from(s, 'base64url')
    const nodeKey = alg === 'ES256' ? { key: key.key, dsaEncoding: 'ieee-p1363' as const } : key.key
    const ours: number[] = []
    const jose: number[] = []
    const bare: number[] = []
    const vsJose: number[] = []
    const cost: number[] = [] // µs per token over the bare signature check
    for (let round = 0; round < ROUNDS; round++) {
      const a = await rate(() => verifier.verify(token))
      const b = await rate(() => jwtVerify(token, key.key, { algorithms: [alg] }))
      const c = await rate(() => verifySignature('sha256', data, nodeKey, signature))
      ours.push(a)
      jose.push(b)
      bare.push(c)
      vsJose.push(a / b)
      cost.push(1e6 / a - 1e6 / c)
    }
    const ratio = median(vsJose)
    console.log(
      `${alg.padEnd(7)} ${fmt(median(ours))}       ${fmt(median(jose))}       ${ratio.toFixed(2)}× ${ratio >= 0.91 ? 'ok' : 'SLOWER'}${' '.repeat(14)}${fmt(median(bare))}       ${median(cost).toFixed(1)} µs/token`,
    )
  }
}
