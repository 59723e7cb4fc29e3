import type { ReplayEntry } from '../token/replay'
import { MIGRATIONS } from './migrations'
import type { EmbedStore, StoreTransaction, StoredMembership, StoredProject, StoredUser } from './types'

/** Runs one SQL statement with `$1…` parameters (what `pg` and PGlite both offer). */
export interface SqlQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
}

/** A database connection (pool) the SQL store runs on; {@link fromPgPool} and {@link fromPGlite} make one. */
export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (sql: SqlQueryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The part of `pg.Pool` used here. */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>
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

/** A {@link SqlClient} over a `pg` Pool (a real PostgreSQL server). */
export function fromPgPool(pool: PgPoolLike): SqlClient {
  return {
    query: (text, params) => pool.query(text, params) as Promise<Rows>,
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
  planId: (r['plan_id'] as number | null) ?? null,
  groups: (r['groups'] as string[] | null) ?? null,
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
  limits: { tasks: (r['tasks_limit'] as number | null) ?? null, aiCredits: (r['ai_credits_limit'] as number | null) ?? null },
  pieces: { filterType: (r['pieces_filter_type'] as string | null) ?? null, tags: (r['pieces_tags'] as string[] | null) ?? null },
  adminUserId: (r['admin_user_id'] as string | null) ?? null,
  createdAt: new Date(r['created_at'] as Date),
  updatedAt: new Date(r['updated_at'] as Date),
})

const toMembership = (r: Record<string, unknown>): StoredMembership => ({
  projectId: r['project_id'] as string,
  userId: r['user_id'] as string,
  role: r['role'] as string,
})

// Every write is one INSERT … ON CONFLICT … DO UPDATE on the unique key: two first logins at once both
// succeed, one creating the row and the other updating it (`xmax = 0` tells a fresh insert apart).
const UPSERT_USER = `
INSERT INTO sso_embed_users (account, tenant, external_id, email, first_name, last_name, plan_id, groups)
VALUES ($1, $2, $3, $4, COALESCE($5, $8), COALESCE($6, $9), $10, $7::text[])
ON CONFLICT (account, tenant, external_id) DO UPDATE SET
  email = COALESCE($4, sso_embed_users.email),
  first_name = COALESCE($5, sso_embed_users.first_name),
  last_name = COALESCE($6, sso_embed_users.last_name),
  groups = COALESCE($7::text[], sso_embed_users.groups),
  updated_at = now()
RETURNING *, (xmax = 0) AS created`

const UPSERT_PROJECT = `
INSERT INTO sso_embed_projects (account, tenant, external_id, personal, name, tasks_limit, ai_credits_limit, pieces_filter_type, pieces_tags)
VALUES ($1, $2, $3, $4, COALESCE($5, $10), $6, $7, $8, $9::text[])
ON CONFLICT (account, tenant, external_id) DO UPDATE SET
  name = COALESCE($5, sso_embed_projects.name),
  tasks_limit = COALESCE($6, sso_embed_projects.tasks_limit),
  ai_credits_limit = COALESCE($7, sso_embed_projects.ai_credits_limit),
  pieces_filter_type = COALESCE($8, sso_embed_projects.pieces_filter_type),
  pieces_tags = COALESCE($9::text[], sso_embed_projects.pieces_tags),
  updated_at = now()
RETURNING *, (xmax = 0) AS created`

const transactionFor = (sql: SqlQueryable): StoreTransaction => ({
  async upsertUser(w) {
    const { rows } = await sql.query(UPSERT_USER, [
      w.account,
      w.tenant,
      w.externalId,
      w.set.email ?? null,
      w.set.firstName ?? null,
      w.set.lastName ?? null,
      w.set.groups ?? null,
      w.create.firstName ?? null,
      w.create.lastName ?? null,
      w.create.planId ?? null,
    ])
    return { user: toUser(rows[0]!), created: rows[0]!['created'] === true }
  },
  async upsertProject(w) {
    const s = w.set
    const { rows } = await sql.query(UPSERT_PROJECT, [
      w.account,
      w.tenant,
      w.externalId,
      w.personal,
      s.name ?? null,
      s.tasks ?? null,
      s.aiCredits ?? null,
      s.piecesFilterType ?? null,
      s.piecesTags ?? null,
      w.create.name,
    ])
    return { project: toProject(rows[0]!), created: rows[0]!['created'] === true }
  },
  async claimAdmin(projectId, userId) {
    const { rows } = await sql.query(
      'UPDATE sso_embed_projects SET admin_user_id = $2 WHERE id = $1 AND (admin_user_id IS NULL OR admin_user_id = $2) RETURNING id',
      [projectId, userId],
    )
    return rows.length === 1
  },
  async setMembership(projectId, userId, role) {
    await sql.query(
      `INSERT INTO sso_embed_memberships (project_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()`,
      [projectId, userId, role],
    )
  },
})

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
  const prune = async () => {
    const { rows } = await client.query('WITH gone AS (DELETE FROM sso_embed_token_uses WHERE expires_at <= now() RETURNING 1) SELECT count(*)::int AS n FROM gone')
    return Number(rows[0]?.['n'] ?? 0)
  }
  return {
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await client.transaction((sql) => fn(transactionFor(sql)))
        } catch (error) {
          if (attempt >= 5 || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error
        }
      }
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
        if (++uses % pruneEvery === 0) void prune().catch(() => undefined)
        return rows.length === 1
      },
      async release({ scope, jti }: ReplayEntry) {
        await client.query('DELETE FROM sso_embed_token_uses WHERE scope = $1 AND jti = $2', [scope, jti])
      },
      prune,
    },
    async user(id) {
      const { rows } = await client.query('SELECT * FROM sso_embed_users WHERE id = $1::uuid', [id])
      return rows[0] && toUser(rows[0])
    },
    async project(id) {
      const { rows } = await client.query('SELECT * FROM sso_embed_projects WHERE id = $1::uuid', [id])
      return rows[0] && toProject(rows[0])
    },
    async users(filter = {}) {
      const { rows } = await client.query('SELECT * FROM sso_embed_users WHERE $1::text IS NULL OR account = $1 ORDER BY created_at, id', [filter.account ?? null])
      return rows.map(toUser)
    },
    async projects(filter = {}) {
      const { rows } = await client.query('SELECT * FROM sso_embed_projects WHERE $1::text IS NULL OR account = $1 ORDER BY created_at, id', [filter.account ?? null])
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
