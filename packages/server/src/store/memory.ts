import { randomUUID } from 'node:crypto'
import { createMemoryReplayStore, type ReplayEntry } from '../token/replay'
import type { EmbedStore, StoreTransaction, StoredMembership, StoredProject, StoredUser } from './types'

const keyOf = (w: { account: string; tenant: string; externalId: string }) => JSON.stringify([w.account, w.tenant, w.externalId])
const copy = <T>(value: T): T => structuredClone(value)

/**
 * An in-memory {@link EmbedStore} for tests and a first try: transactions run one at a time and undo
 * their writes when they throw. Data is lost when the process ends.
 */
export function createMemoryStore(options: { now?: () => number } = {}): EmbedStore {
  const now = options.now ?? Date.now
  const users = new Map<string, StoredUser>()
  const projects = new Map<string, StoredProject>()
  const memberships = new Map<string, StoredMembership>()
  const used = createMemoryReplayStore({ now })
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  const put = <V>(map: Map<string, V>, key: string, value: V, undo: Array<() => void>) => {
    const had = map.has(key)
    const previous = map.get(key)
    map.set(key, value)
    undo.push(() => (had ? map.set(key, previous as V) : map.delete(key)))
  }

  const makeTransaction = (undo: Array<() => void>): StoreTransaction => ({
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
            groups: w.set.groups ? [...w.set.groups] : existing.groups,
            updatedAt: at,
          }
        : {
            id: randomUUID(),
            account: w.account,
            tenant: w.tenant,
            externalId: w.externalId,
            email: w.set.email ?? null,
            firstName: w.set.firstName ?? w.create.firstName ?? null,
            lastName: w.set.lastName ?? w.create.lastName ?? null,
            planId: w.create.planId ?? null,
            groups: w.set.groups ? [...w.set.groups] : null,
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
      const s = w.set
      const project: StoredProject = existing
        ? {
            ...existing,
            name: s.name ?? existing.name,
            limits: { tasks: s.tasks ?? existing.limits.tasks, aiCredits: s.aiCredits ?? existing.limits.aiCredits },
            pieces: { filterType: s.piecesFilterType ?? existing.pieces.filterType, tags: s.piecesTags ? [...s.piecesTags] : existing.pieces.tags },
            updatedAt: at,
          }
        : {
            id: randomUUID(),
            account: w.account,
            tenant: w.tenant,
            externalId: w.externalId,
            name: s.name ?? w.create.name,
            personal: w.personal,
            limits: { tasks: s.tasks ?? null, aiCredits: s.aiCredits ?? null },
            pieces: { filterType: s.piecesFilterType ?? null, tags: s.piecesTags ? [...s.piecesTags] : null },
            adminUserId: null,
            createdAt: at,
            updatedAt: at,
          }
      put(projects, key, project, undo)
      return { project: copy(project), created: !existing }
    },
    async claimAdmin(projectId, userId) {
      const entry = [...projects].find(([, p]) => p.id === projectId)
      if (!entry) throw new Error(`no project ${projectId}`)
      const [key, project] = entry
      if (project.adminUserId !== null && project.adminUserId !== userId) return false
      put(projects, key, { ...project, adminUserId: userId }, undo)
      return true
    },
    async setMembership(projectId, userId, role) {
      put(memberships, JSON.stringify([projectId, userId]), { projectId, userId, role }, undo)
    },
  })

  const check = () => {
    if (closed) throw new Error('The store is closed.')
  }

  return {
    transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      check()
      const run = queue.then(async () => {
        const undo: Array<() => void> = []
        try {
          return await fn(makeTransaction(undo))
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
    async user(id) {
      const found = [...users.values()].find((u) => u.id === id)
      return found && copy(found)
    },
    async project(id) {
      const found = [...projects.values()].find((p) => p.id === id)
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
