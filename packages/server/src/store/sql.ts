import type { ReplayEntry } from '../token/replay'
import { MIGRATIONS } from './migrations'
import type { Attributes, EmbedStore, SessionLookup, StoreTransaction, StoredMembership, StoredProject, StoredUser, UserWrite } from './types'

/** Runs one SQL statement with `$1…` parameters (what `pg` and PGlite both offer). */
export interface SqlQueryable {
  /** `name`: a hot statement the connection may prepare once and reuse (`pg`'s named statements). */
  query(text: string, params?: unknown[], name?: string): Promise<{ rows: Record<string, unknown>[] }>
}

/** A database connection (pool) the SQL store runs on; {@link fromPgPool} and {@link fromPGlite} make one. */
export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (sql: SqlQueryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The part of `pg.Pool` used here. */
export interface PgPoolLike {
  query(text: string | { name: string; text: string; values?: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[] }>
  connect(): Promise<{ query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>; release(error?: Error | boolean): void }>
  on?(event: 'error', listener: (error: Error) => void): unknown
  end(): Promise<void>
}

/** The part of PGlite used here. */
export interface PGliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>
  transaction<T>(fn: (tx: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }) => Promise<T>): Promise<T>
  close(): Promise<void>
}

type Rows = { rows: Record<string, unknown>[] }

/**
 * A {@link SqlClient} over a `pg` Pool (a real PostgreSQL server). `preparedStatements` (default true):
 * the hot statements (the sign-in, the session lookup) are named, so each connection parses and plans
 * them once; turn it off behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
 */
export function fromPgPool(pool: PgPoolLike, options: { preparedStatements?: boolean } = {}): SqlClient {
  const prepared = options.preparedStatements ?? true
  return {
    query: (text, params, name) => (name && prepared ? pool.query({ name, text, values: params ?? [] }) : pool.query(text, params)) as Promise<Rows>,
    async transaction(fn) {
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        const result = await fn({ query: (text, params) => client.query(text, params) as Promise<Rows> })
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError
        })
        throw error
      } finally {
        // a connection whose rollback failed is unusable: handing pg the error makes it discard the connection
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
}

/** A {@link SqlClient} over PGlite (embedded PostgreSQL; one connection, transactions run one at a time). */
export function fromPGlite(db: PGliteLike): SqlClient {
  return {
    query: (text, params) => db.query(text, params) as Promise<Rows>,
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => tx.query(text, params) as Promise<Rows> })),
    close: () => db.close(),
  }
}

/** Applies the store's migrations that are not applied yet (safe when several processes start at once). */
export async function migrate(client: SqlClient): Promise<number[]> {
  return client.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock(738201955)') // one migrator at a time
    await sql.query('CREATE TABLE IF NOT EXISTS sso_embed_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
    const { rows } = await sql.query('SELECT version FROM sso_embed_migrations')
    const done = new Set(rows.map((row) => Number(row['version'])))
    const applied: number[] = []
    for (const [index, statements] of MIGRATIONS.entries()) {
      const version = index + 1
      if (done.has(version)) continue
      for (const statement of statements) await sql.query(statement)
      await sql.query('INSERT INTO sso_embed_migrations (version) VALUES ($1)', [version])
      applied.push(version)
    }
    return applied
  })
}

const toUser = (r: Record<string, unknown>): StoredUser => ({
  id: r['id'] as string,
  account: r['account'] as string,
  tenant: r['tenant'] as string,
  externalId: r['external_id'] as string,
  email: (r['email'] as string | null) ?? null,
  firstName: (r['first_name'] as string | null) ?? null,
  lastName: (r['last_name'] as string | null) ?? null,
  attributes: (r['attributes'] as Attributes | null) ?? {},
  deactivatedAt: r['deactivated_at'] ? new Date(r['deactivated_at'] as Date) : null,
  createdAt: new Date(r['created_at'] as Date),
  updatedAt: new Date(r['updated_at'] as Date),
})

const toProject = (r: Record<string, unknown>): StoredProject => ({
  id: r['id'] as string,
  account: r['account'] as string,
  tenant: r['tenant'] as string,
  externalId: r['external_id'] as string,
  name: r['name'] as string,
  personal: Boolean(r['personal']),
  attributes: (r['attributes'] as Attributes | null) ?? {},
  adminUserId: (r['admin_user_id'] as string | null) ?? null,
  createdAt: new Date(r['created_at'] as Date),
  updatedAt: new Date(r['updated_at'] as Date),
})

const toMembership = (r: Record<string, unknown>): StoredMembership => ({
  projectId: r['project_id'] as string,
  userId: r['user_id'] as string,
  role: r['role'] as string,
})

const toSession = (r: Record<string, unknown>): SessionLookup => ({
  id: r['id'] as string,
  account: r['account'] as string,
  kid: r['kid'] as string,
  hostOrigin: r['host_origin'] as string,
  userId: r['user_id'] as string,
  projectId: (r['project_id'] as string | null) ?? null,
  createdAt: new Date(r['created_at'] as Date),
  expiresAt: new Date(r['expires_at'] as Date),
  revokedAt: r['revoked_at'] ? new Date(r['revoked_at'] as Date) : null,
  userDeactivated: r['user_deactivated'] === true,
})

// Every write is one INSERT … ON CONFLICT … DO UPDATE on the unique key: two first logins at once both
// succeed, one creating the row and the other updating it (`xmax = 0` tells a fresh insert apart).
// Attributes merge with `||`: a key given replaces the stored one, a key left out stays.
/**
 * The user upsert, its ten parameters numbered from `$first` (see {@link userParams}); `from` feeds the
 * row from a CTE instead of `VALUES`, and `activeOnly` leaves a deactivated user untouched (no row returned).
 */
const upsertUser = (first: number, options: { from?: string; activeOnly?: boolean } = {}) => {
  const $ = (n: number) => `$${first + n - 1}`
  const row = `${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, COALESCE(${$(5)}, ${$(8)}), COALESCE(${$(6)}, ${$(9)}), ${$(10)}::jsonb || ${$(7)}::jsonb`
  return `
INSERT INTO sso_embed_users (account, tenant, external_id, email, first_name, last_name, attributes)
${options.from ? `SELECT ${row} FROM ${options.from}` : `VALUES (${row})`}
ON CONFLICT (account, tenant, external_id) DO UPDATE SET
  email = COALESCE(${$(4)}, sso_embed_users.email),
  first_name = COALESCE(${$(5)}, sso_embed_users.first_name),
  last_name = COALESCE(${$(6)}, sso_embed_users.last_name),
  attributes = sso_embed_users.attributes || ${$(7)}::jsonb,
  updated_at = now()
${options.activeOnly ? 'WHERE sso_embed_users.deactivated_at IS NULL' : ''}
RETURNING *, (xmax = 0) AS created`
}
const UPSERT_USER = upsertUser(1)

const UPSERT_PROJECT = `
INSERT INTO sso_embed_projects (account, tenant, external_id, personal, name, attributes)
VALUES ($1, $2, $3, $4, COALESCE($5, $7), $6::jsonb)
ON CONFLICT (account, tenant, external_id) DO UPDATE SET
  name = COALESCE($5, sso_embed_projects.name),
  attributes = sso_embed_projects.attributes || $6::jsonb,
  updated_at = now()
RETURNING *, (xmax = 0) AS created`

const json = (value: Attributes | undefined) => JSON.stringify(value ?? {})

/** The ten parameters of a user's upsert, in the order UPSERT_USER (`$1…$10`) and SIGN_IN (`$4…$13`) take them. */
const userParams = (account: string, w: UserWrite) => [
  account,
  w.tenant,
  w.externalId,
  w.set.email ?? null,
  w.set.firstName ?? null,
  w.set.lastName ?? null,
  json(w.set.attributes),
  w.create.firstName ?? null,
  w.create.lastName ?? null,
  json(w.create.attributes),
]

/**
 * A whole sign-in in one statement (data-modifying CTEs: one round trip, one commit): the token's use,
 * then — only when it is the first use — the user (not when deactivated), their project and membership,
 * and the session. Same writes, in the same order, as the transaction path.
 */
const SIGN_IN = `
WITH used AS (
  INSERT INTO sso_embed_token_uses (scope, jti, expires_at) SELECT $1, $2, $3 WHERE $1::text IS NOT NULL
  ON CONFLICT (scope, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE sso_embed_token_uses.expires_at <= now()
  RETURNING 1
), allowed AS (
  SELECT 1 WHERE $1::text IS NULL OR EXISTS (SELECT 1 FROM used)
), u AS (${upsertUser(4, { from: 'allowed', activeOnly: true })}
), p AS (
  INSERT INTO sso_embed_projects (account, tenant, external_id, personal, name, attributes)
  SELECT $4, $5, $14, false, COALESCE($15, $17), $16::jsonb FROM u WHERE $14::text IS NOT NULL
  ON CONFLICT (account, tenant, external_id) DO UPDATE SET
    name = COALESCE($15, sso_embed_projects.name),
    attributes = sso_embed_projects.attributes || $16::jsonb,
    updated_at = now()
  RETURNING *, (xmax = 0) AS created
), m AS (
  INSERT INTO sso_embed_memberships (project_id, user_id, role) SELECT p.id, u.id, $18 FROM p, u
  ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()
), s AS (
  INSERT INTO sso_embed_sessions (id, account, kid, host_origin, user_id, project_id, expires_at)
  SELECT $19, $4, $20, $21, u.id, (SELECT id FROM p), $22 FROM u
)
SELECT EXISTS (SELECT 1 FROM allowed) AS allowed, (SELECT row_to_json(u) FROM u) AS "user", (SELECT row_to_json(p) FROM p) AS project`

/** The writes of one transaction, every one of them limited to `account` in its SQL. */
const transactionFor = (sql: SqlQueryable, account: string): StoreTransaction => ({
  account,
  async upsertUser(w) {
    const { rows } = await sql.query(UPSERT_USER, userParams(account, w))
    return { user: toUser(rows[0]!), created: rows[0]!['created'] === true }
  },
  async upsertProject(w) {
    const { rows } = await sql.query(UPSERT_PROJECT, [account, w.tenant, w.externalId, w.personal, w.set.name ?? null, json(w.set.attributes), w.create.name])
    return { project: toProject(rows[0]!), created: rows[0]!['created'] === true }
  },
  async claimAdmin(projectId, userId) {
    const { rows } = await sql.query(
      'UPDATE sso_embed_projects SET admin_user_id = $2 WHERE id = $1 AND account = $3 AND (admin_user_id IS NULL OR admin_user_id = $2) RETURNING id',
      [projectId, userId, account],
    )
    return rows.length === 1
  },
  async releaseAdmin(projectId, userId) {
    await sql.query('UPDATE sso_embed_projects SET admin_user_id = NULL WHERE id = $1 AND account = $3 AND admin_user_id = $2', [projectId, userId, account])
  },
  async setMembership(projectId, userId, role) {
    // both rows must be the account's: a membership never links two accounts
    const { rows } = await sql.query(
      `INSERT INTO sso_embed_memberships (project_id, user_id, role)
       SELECT p.id, u.id, $3 FROM sso_embed_projects p, sso_embed_users u WHERE p.id = $1 AND u.id = $2 AND p.account = $4 AND u.account = $4
       ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()
       RETURNING 1`,
      [projectId, userId, role, account],
    )
    if (rows.length !== 1) throw new Error(`setMembership: project ${projectId} or user ${userId} is not in account ${JSON.stringify(account)}`)
  },
  async removeMemberships(userId, { tenant, keep }) {
    const { rows } = await sql.query(
      `WITH gone AS (
         DELETE FROM sso_embed_memberships m USING sso_embed_projects p
         WHERE m.user_id = $1 AND m.project_id = p.id AND p.account = $2 AND p.tenant = $3 AND NOT p.personal AND NOT (p.id = ANY($4::uuid[]))
         RETURNING p.id
       ), released AS (
         UPDATE sso_embed_projects SET admin_user_id = NULL WHERE id IN (SELECT id FROM gone) AND admin_user_id = $1
       )
       SELECT id FROM gone`,
      [userId, account, tenant, keep],
    )
    return rows.map((row) => row['id'] as string)
  },
  async createSession(s) {
    await sql.query('INSERT INTO sso_embed_sessions (id, account, kid, host_origin, user_id, project_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      s.id,
      account,
      s.kid,
      s.hostOrigin,
      s.userId,
      s.projectId,
      s.expiresAt,
    ])
  },
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const count = (result: { rows: unknown[] }) => result.rows.length

/** The account every transaction is bound to: a non-empty string (the key's). */
export function checkAccount(account: unknown): asserts account is string {
  if (typeof account !== 'string' || account === '') throw new TypeError("store.transaction: account must be a non-empty string (the signing key's account)")
}

/** PostgreSQL error codes a transaction is retried on: unique violation, serialization failure, deadlock. */
const RETRYABLE = new Set(['23505', '40001', '40P01'])

/**
 * The PostgreSQL {@link EmbedStore}, on a real server (`pg`) or on PGlite: the same SQL. Run
 * {@link migrate} first (`openStore` does). A transaction that meets a unique violation or a
 * serialization failure is run again, and then reads what the other login wrote.
 */
export function createSqlStore(client: SqlClient, options: { pruneEvery?: number } = {}): EmbedStore {
  const pruneEvery = options.pruneEvery ?? 1000
  let uses = 0
  /** Runs `run` again (up to 5 times) on a unique violation, a serialization failure or a deadlock. */
  const retrying = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run()
      } catch (error) {
        if (attempt >= 5 || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error
      }
    }
  }
  // every `pruneEvery` sign-ins: used token ids past their expiry, and sessions that ended
  const pruneAll = () => Promise.all([prune(), pruneSessions()]).catch(() => undefined)
  const pruneSessions = async (before = new Date()) =>
    count(await client.query('DELETE FROM sso_embed_sessions WHERE expires_at <= $1 OR revoked_at <= $1 RETURNING 1', [before]))
  const prune = async () => {
    const { rows } = await client.query(
      'WITH gone AS (DELETE FROM sso_embed_token_uses WHERE expires_at <= now() RETURNING 1) SELECT count(*)::int AS n FROM gone',
    )
    return Number(rows[0]?.['n'] ?? 0)
  }
  return {
    async signIn(plan) {
      checkAccount(plan.account)
      const { replay, user, project, session } = plan
      const params = [
        replay?.scope ?? null,
        replay?.jti ?? null,
        replay?.expiresAt ?? null,
        ...userParams(plan.account, user),
        project?.write.externalId ?? null,
        project?.write.set.name ?? null,
        json(project?.write.set.attributes),
        project?.write.create.name ?? null,
        project?.role ?? null,
        session.id,
        session.kid,
        session.hostOrigin,
        session.expiresAt,
      ]
      if (project && project.write.tenant !== user.tenant) throw new TypeError("signIn: the project must be in the user's tenant")
      const row = await retrying(() => client.query(SIGN_IN, params, 'sso_embed_sign_in')).then(({ rows }) => rows[0]!)
      if (row['allowed'] !== true) return { status: 'replayed' }
      if (!row['user']) return { status: 'deactivated' }
      const storedUser = row['user'] as Record<string, unknown>
      const storedProject = row['project'] as Record<string, unknown> | null
      if (++uses % pruneEvery === 0) void pruneAll()
      return {
        status: 'ok',
        user: toUser(storedUser),
        project: storedProject ? toProject(storedProject) : null,
        created: { user: storedUser['created'] === true, project: storedProject?.['created'] === true },
      }
    },
    async transaction(account, fn) {
      checkAccount(account)
      return retrying(() => client.transaction((sql) => fn(transactionFor(sql, account))))
    },
    replay: {
      async use({ scope, jti, expiresAt }: ReplayEntry) {
        // inserted, or an expired use of the same id replaced: true; a live earlier use: no row, false
        const { rows } = await client.query(
          `INSERT INTO sso_embed_token_uses (scope, jti, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (scope, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE sso_embed_token_uses.expires_at <= now()
           RETURNING 1`,
          [scope, jti, expiresAt],
        )
        if (++uses % pruneEvery === 0) void pruneAll()
        return rows.length === 1
      },
      async release({ scope, jti }: ReplayEntry) {
        await client.query('DELETE FROM sso_embed_token_uses WHERE scope = $1 AND jti = $2', [scope, jti])
      },
      prune,
    },
    sessions: {
      async find(id) {
        if (!UUID.test(id)) return undefined
        const { rows } = await client.query(
          `SELECT s.*, (u.deactivated_at IS NOT NULL) AS user_deactivated
           FROM sso_embed_sessions s JOIN sso_embed_users u ON u.id = s.user_id WHERE s.id = $1::uuid`,
          [id],
          'sso_embed_find_session',
        )
        return rows[0] && toSession(rows[0])
      },
      async revoke(id) {
        if (!UUID.test(id)) return false
        const { rows } = await client.query('UPDATE sso_embed_sessions SET revoked_at = now() WHERE id = $1::uuid AND revoked_at IS NULL RETURNING 1', [id])
        return rows.length === 1
      },
      async revokeUser(userId) {
        if (!UUID.test(userId)) return 0
        return count(
          await client.query('UPDATE sso_embed_sessions SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL RETURNING 1', [userId]),
        )
      },
      async revokeKey(account, kid) {
        return count(
          await client.query('UPDATE sso_embed_sessions SET revoked_at = now() WHERE account = $1 AND kid = $2 AND revoked_at IS NULL RETURNING 1', [
            account,
            kid,
          ]),
        )
      },
      prune: pruneSessions,
    },
    async deactivateUser(userId) {
      if (!UUID.test(userId)) return false
      return client.transaction(async (sql) => {
        const { rows } = await sql.query(
          'UPDATE sso_embed_users SET deactivated_at = COALESCE(deactivated_at, now()), updated_at = now() WHERE id = $1::uuid RETURNING 1',
          [userId],
        )
        await sql.query('UPDATE sso_embed_sessions SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL', [userId])
        return rows.length === 1
      })
    },
    async reactivateUser(userId) {
      if (!UUID.test(userId)) return false
      return count(await client.query('UPDATE sso_embed_users SET deactivated_at = NULL, updated_at = now() WHERE id = $1::uuid RETURNING 1', [userId])) === 1
    },
    async user(id) {
      if (!UUID.test(id)) return undefined
      const { rows } = await client.query('SELECT * FROM sso_embed_users WHERE id = $1::uuid', [id])
      return rows[0] && toUser(rows[0])
    },
    async project(id) {
      if (!UUID.test(id)) return undefined
      const { rows } = await client.query('SELECT * FROM sso_embed_projects WHERE id = $1::uuid', [id])
      return rows[0] && toProject(rows[0])
    },
    async users(filter = {}) {
      const { rows } = await client.query('SELECT * FROM sso_embed_users WHERE $1::text IS NULL OR account = $1 ORDER BY created_at, id', [
        filter.account ?? null,
      ])
      return rows.map(toUser)
    },
    async projects(filter = {}) {
      const { rows } = await client.query('SELECT * FROM sso_embed_projects WHERE $1::text IS NULL OR account = $1 ORDER BY created_at, id', [
        filter.account ?? null,
      ])
      return rows.map(toProject)
    },
    async memberships(filter = {}) {
      const { rows } = await client.query(
        'SELECT * FROM sso_embed_memberships WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::uuid IS NULL OR project_id = $2) ORDER BY project_id, user_id',
        [filter.userId ?? null, filter.projectId ?? null],
      )
      return rows.map(toMembership)
    },
    close: () => client.close(),
  }
}
