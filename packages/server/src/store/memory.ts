import { randomUUID } from 'node:crypto'
import { createMemoryReplayStore, type ReplayEntry } from '../token/replay'
import { checkAccount } from './sql'
import type { EmbedStore, SessionLookup, StoreTransaction, StoredMembership, StoredProject, StoredSession, StoredUser } from './types'

const copy = <T>(value: T): T => structuredClone(value)

/**
 * An in-memory {@link EmbedStore} for tests and a first try: transactions run one at a time and undo
 * their writes when they throw. Data is lost when the process ends, and it is not shared between
 * processes (use the PostgreSQL store for that).
 */
export function createMemoryStore(options: { now?: () => number } = {}): EmbedStore {
  const now = options.now ?? Date.now
  const users = new Map<string, StoredUser>()
  const projects = new Map<string, StoredProject>()
  const memberships = new Map<string, StoredMembership>()
  const sessions = new Map<string, StoredSession>()
  const used = createMemoryReplayStore({ now })
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  const put = <V>(map: Map<string, V>, key: string, value: V, undo: Array<() => void>) => {
    const had = map.has(key)
    const previous = map.get(key)
    map.set(key, value)
    undo.push(() => (had ? map.set(key, previous as V) : map.delete(key)))
  }
  const remove = <V>(map: Map<string, V>, key: string, undo: Array<() => void>) => {
    const previous = map.get(key)
    if (previous === undefined) return
    map.delete(key)
    undo.push(() => map.set(key, previous))
  }
  const byId = <V extends { id: string }>(map: Map<string, V>, id: string) => [...map].find(([, value]) => value.id === id)

  const makeTransaction = (account: string, undo: Array<() => void>): StoreTransaction => {
    const keyOf = (w: { tenant: string; externalId: string }) => JSON.stringify([account, w.tenant, w.externalId])
    const ownProject = (id: string) => {
      const entry = byId(projects, id)
      return entry && entry[1].account === account ? entry : undefined
    }
    return {
      account,
      async upsertUser(w) {
        const key = keyOf(w)
        const existing = users.get(key)
        const at = new Date(now())
        const user: StoredUser = existing
          ? {
              ...existing,
              email: w.set.email ?? existing.email,
              firstName: w.set.firstName ?? existing.firstName,
              lastName: w.set.lastName ?? existing.lastName,
              attributes: { ...existing.attributes, ...copy(w.set.attributes) },
              updatedAt: at,
            }
          : {
              id: randomUUID(),
              account,
              tenant: w.tenant,
              externalId: w.externalId,
              email: w.set.email ?? null,
              firstName: w.set.firstName ?? w.create.firstName ?? null,
              lastName: w.set.lastName ?? w.create.lastName ?? null,
              attributes: { ...copy(w.create.attributes), ...copy(w.set.attributes) },
              deactivatedAt: null,
              createdAt: at,
              updatedAt: at,
            }
        put(users, key, user, undo)
        return { user: copy(user), created: !existing }
      },
      async upsertProject(w) {
        const key = keyOf(w)
        const existing = projects.get(key)
        const at = new Date(now())
        const project: StoredProject = existing
          ? { ...existing, name: w.set.name ?? existing.name, attributes: { ...existing.attributes, ...copy(w.set.attributes) }, updatedAt: at }
          : {
              id: randomUUID(),
              account,
              tenant: w.tenant,
              externalId: w.externalId,
              name: w.set.name ?? w.create.name,
              personal: w.personal,
              attributes: { ...copy(w.set.attributes) },
              adminUserId: null,
              createdAt: at,
              updatedAt: at,
            }
        put(projects, key, project, undo)
        return { project: copy(project), created: !existing }
      },
      async claimAdmin(projectId, userId) {
        const entry = ownProject(projectId)
        if (!entry) return false
        const [key, project] = entry
        if (project.adminUserId !== null && project.adminUserId !== userId) return false
        put(projects, key, { ...project, adminUserId: userId }, undo)
        return true
      },
      async releaseAdmin(projectId, userId) {
        const entry = ownProject(projectId)
        if (entry && entry[1].adminUserId === userId) put(projects, entry[0], { ...entry[1], adminUserId: null }, undo)
      },
      async setMembership(projectId, userId, role) {
        const user = byId(users, userId)?.[1]
        if (!ownProject(projectId) || user?.account !== account) {
          throw new Error(`setMembership: project ${projectId} or user ${userId} is not in account ${JSON.stringify(account)}`)
        }
        put(memberships, JSON.stringify([projectId, userId]), { projectId, userId, role }, undo)
      },
      async removeMemberships(userId, { tenant, keep }) {
        const removed: string[] = []
        for (const [key, membership] of memberships) {
          if (membership.userId !== userId) continue
          const entry = ownProject(membership.projectId)
          if (!entry || entry[1].tenant !== tenant || entry[1].personal || keep.includes(entry[1].id)) continue
          remove(memberships, key, undo)
          if (entry[1].adminUserId === userId) put(projects, entry[0], { ...entry[1], adminUserId: null }, undo)
          removed.push(entry[1].id)
        }
        return removed
      },
      async createSession(session) {
        put(sessions, session.id, { ...copy(session), account, createdAt: new Date(now()), revokedAt: null }, undo)
      },
    }
  }

  const check = () => {
    if (closed) throw new Error('The store is closed.')
  }
  const revokeWhere = (match: (session: StoredSession) => boolean) => {
    let count = 0
    for (const [id, session] of sessions) {
      if (session.revokedAt === null && match(session)) {
        sessions.set(id, { ...session, revokedAt: new Date(now()) })
        count++
      }
    }
    return count
  }
  const setDeactivated = (userId: string, deactivated: boolean) => {
    const entry = byId(users, userId)
    if (!entry) return false
    const at = new Date(now())
    users.set(entry[0], { ...entry[1], deactivatedAt: deactivated ? (entry[1].deactivatedAt ?? at) : null, updatedAt: at })
    return true
  }

  return {
    transaction<T>(account: string, fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      check()
      checkAccount(account)
      const run = queue.then(async () => {
        const undo: Array<() => void> = []
        try {
          return await fn(makeTransaction(account, undo))
        } catch (error) {
          for (const step of undo.reverse()) step()
          throw error
        }
      })
      queue = run.catch(() => undefined)
      return run
    },
    replay: {
      async use(entry: ReplayEntry) {
        check()
        return used.use(entry)
      },
      async release(entry: ReplayEntry) {
        check()
        return used.release(entry)
      },
      prune: used.prune,
    },
    sessions: {
      async find(id) {
        check()
        const session = sessions.get(id)
        if (!session) return undefined
        const user = byId(users, session.userId)?.[1]
        return { ...copy(session), userDeactivated: user?.deactivatedAt != null } satisfies SessionLookup
      },
      async revoke(id) {
        check()
        return revokeWhere((session) => session.id === id) === 1
      },
      async revokeUser(userId) {
        check()
        return revokeWhere((session) => session.userId === userId)
      },
      async revokeKey(account, kid) {
        check()
        return revokeWhere((session) => session.account === account && session.kid === kid)
      },
      async prune(before = new Date(now())) {
        let count = 0
        for (const [id, session] of sessions) {
          if (session.expiresAt <= before || (session.revokedAt !== null && session.revokedAt <= before)) count += Number(sessions.delete(id))
        }
        return count
      },
    },
    async deactivateUser(userId) {
      check()
      if (!setDeactivated(userId, true)) return false
      revokeWhere((session) => session.userId === userId)
      return true
    },
    async reactivateUser(userId) {
      check()
      return setDeactivated(userId, false)
    },
    async user(id) {
      const found = byId(users, id)?.[1]
      return found && copy(found)
    },
    async project(id) {
      const found = byId(projects, id)?.[1]
      return found && copy(found)
    },
    async users(filter = {}) {
      return [...users.values()].filter((u) => filter.account === undefined || u.account === filter.account).map(copy)
    },
    async projects(filter = {}) {
      return [...projects.values()].filter((p) => filter.account === undefined || p.account === filter.account).map(copy)
    },
    async memberships(filter = {}) {
      return [...memberships.values()]
        .filter((m) => (filter.userId === undefined || m.userId === filter.userId) && (filter.projectId === undefined || m.projectId === filter.projectId))
        .map(copy)
    },
    async close() {
      closed = true
    },
  }
}
