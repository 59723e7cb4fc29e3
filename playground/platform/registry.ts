import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { generateSigningKey, importPublicKey, type VerificationKey } from '@sso-embed/server'

/** A host's signing key as the demo platform keeps it: only the public half. */
export interface KeyRecord {
  kid: string
  alg: string
  name: string
  publicPem: string
  origins: string[]
  createdAt: string
  revokedAt?: string
}

/** The platform's registered keys, saved to `file` (when given) so a restart keeps them. */
export function createKeyRegistry(file?: string) {
  let records: KeyRecord[] = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KeyRecord[]) : []
  let active: VerificationKey[] = []
  const changed = () => {
    active = records.filter((r) => !r.revokedAt).map((r) => importPublicKey(r.publicPem, { kid: r.kid, origins: r.origins }))
    if (file) {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, `${JSON.stringify(records, null, 2)}\n`)
    }
  }
  changed()
  const find = (kid: string) => {
    const record = records.find((r) => r.kid === kid)
    if (!record) throw new TypeError(`No key with kid ${JSON.stringify(kid)}`)
    return record
  }
  return {
    list: () => records,
    /** The keys the verifier uses: every one not revoked. */
    active: () => active,
    /** Registers a public key (replacing one with the same kid). Throws KEY_REJECTED / TypeError for bad input. */
    register(input: { kid?: string; name?: string; publicPem: string; origins: string[] }): KeyRecord {
      const key = importPublicKey(input.publicPem, { ...(input.kid && { kid: input.kid }), origins: input.origins })
      const record: KeyRecord = { kid: key.kid, alg: key.alg, name: input.name ?? 'Host key', publicPem: input.publicPem, origins: [...key.origins], createdAt: new Date().toISOString() }
      records = [...records.filter((r) => r.kid !== record.kid), record]
      changed()
      return record
    },
    /** Generates a key pair, keeps the public half, and returns the private one (shown once, never stored here). */
    async generate(input: { name?: string; origins: string[] }): Promise<{ record: KeyRecord; privatePem: string }> {
      const key = await generateSigningKey({ alg: 'RS256' })
      const record = this.register({ kid: key.kid, name: input.name ?? 'Host key', publicPem: key.publicPem, origins: input.origins })
      return { record, privatePem: key.privatePem }
    },
    revoke(kid: string): KeyRecord {
      const record = find(kid)
      record.revokedAt ??= new Date().toISOString()
      changed()
      return record
    },
    setOrigins(kid: string, origins: string[]): KeyRecord {
      const record = find(kid)
      importPublicKey(record.publicPem, { origins }) // validates them
      record.origins = origins
      changed()
      return record
    },
  }
}

export type KeyRegistry = ReturnType<typeof createKeyRegistry>
