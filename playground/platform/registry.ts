import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { generateSigningKey, importPublicKey, originsForAccount, type VerificationKey } from '@sso-embed/server'

/** The demo host's account: keys saved before accounts existed belong to it. */
export const DEMO_ACCOUNT = 'acme'

/** A host's signing key as the demo platform keeps it: only the public half, and the account it belongs to. */
export interface KeyRecord {
  kid: string
  alg: string
  name: string
  /** The host account (customer) the key belongs to: its tokens reach only this account's users. */
  account: string
  /** The tenant the key is pinned to (latenode `tenant_id`), if any. */
  tenant?: string
  publicPem: string
  origins: string[]
  createdAt: string
  revokedAt?: string
}

export interface KeyInput {
  kid?: string | undefined
  name?: string | undefined
  account: string
  tenant?: string | undefined
  publicPem: string
  origins: string[]
}

const toKey = (r: KeyRecord) =>
  importPublicKey(r.publicPem, { kid: r.kid, account: r.account, origins: r.origins, ...(r.tenant !== undefined && { tenant: r.tenant }) })

/**
 * The platform's registered keys, saved to `file` (when given) so a restart keeps them. Every key
 * belongs to one account; a kid or a public key already registered for another account is refused (a
 * host could otherwise register another host's public key, or kid, as its own). `onRevoke` runs when a
 * key is revoked (the platform ends the sessions it let in).
 */
export function createKeyRegistry(file?: string, hooks: { onRevoke?: (key: KeyRecord) => unknown } = {}) {
  let records: KeyRecord[] =
    file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KeyRecord[]).map((r) => ({ ...r, account: r.account || DEMO_ACCOUNT })) : []
  let active: VerificationKey[] = []
  const changed = () => {
    active = records.filter((r) => !r.revokedAt).map(toKey)
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
    /** The host origins of one account's keys: what that account's embed page may be framed by. */
    originsFor: (account: string) => originsForAccount(active, account),
    /** Whether any live key belongs to `account`. */
    hasAccount: (account: string) => active.some((key) => key.account === account),
    /**
     * Registers a public key (replacing the same account's key with the same kid). Throws KEY_REJECTED /
     * TypeError for bad input, and a TypeError for a kid or key of another account.
     */
    register(input: KeyInput): KeyRecord {
      const key = importPublicKey(input.publicPem, {
        account: input.account,
        origins: input.origins,
        ...(input.kid && { kid: input.kid }),
        ...(input.tenant !== undefined && { tenant: input.tenant }),
      })
      const thumbprint = importPublicKey(input.publicPem, { account: input.account }).kid
      for (const other of records.filter((r) => r.account !== key.account)) {
        if (other.kid === key.kid) throw new TypeError(`kid ${JSON.stringify(key.kid)} belongs to another account; choose another kid`)
        if (importPublicKey(other.publicPem, { account: other.account }).kid === thumbprint)
          throw new TypeError('This public key is registered for another account')
      }
      const record: KeyRecord = {
        kid: key.kid,
        alg: key.alg,
        name: input.name ?? 'Host key',
        account: key.account,
        ...(key.tenant !== undefined && { tenant: key.tenant }),
        publicPem: input.publicPem,
        origins: [...key.origins],
        createdAt: new Date().toISOString(),
      }
      records = [...records.filter((r) => r.kid !== record.kid), record]
      changed()
      return record
    },
    /** Generates a key pair, keeps the public half, and returns the private one (shown once, never stored here). */
    async generate(input: Omit<KeyInput, 'publicPem' | 'kid'>): Promise<{ record: KeyRecord; privatePem: string }> {
      const key = await generateSigningKey({ alg: 'RS256' })
      const record = this.register({ ...input, kid: key.kid, publicPem: key.publicPem })
      return { record, privatePem: key.privatePem }
    },
    /** Revokes a key: no token of it is accepted any more, and `onRevoke` ends the sessions it let in. */
    async revoke(kid: string): Promise<KeyRecord> {
      const record = find(kid)
      record.revokedAt ??= new Date().toISOString()
      changed()
      await hooks.onRevoke?.(record)
      return record
    },
    setOrigins(kid: string, origins: string[]): KeyRecord {
      const record = find(kid)
      importPublicKey(record.publicPem, { account: record.account, origins }) // validates them
      record.origins = origins
      changed()
      return record
    },
  }
}

export type KeyRegistry = ReturnType<typeof createKeyRegistry>
