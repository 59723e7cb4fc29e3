/** One use of a token id: `scope` is the signing key's id, so two hosts' `jti`s never collide. */
export interface ReplayEntry {
  scope: string
  jti: string
  /** After this moment the token is expired anyway and the entry can be forgotten. */
  expiresAt: Date
}

/**
 * Remembers which token ids were used. `use` must be atomic: of two concurrent calls with the same
 * scope and `jti`, exactly one resolves `true`.
 */
export interface ReplayStore {
  /** Records the use; `true` the first time, `false` when the id was already used and has not expired. */
  use(entry: ReplayEntry): Promise<boolean>
  /**
   * Forgets a use recorded by `use`, when the work it allowed failed before anything was committed (the
   * exchange's 500), so the same token can be tried again. Optional: without it a failed exchange spends the token.
   */
  release?(entry: ReplayEntry): Promise<void>
}

/**
 * An in-memory {@link ReplayStore} for one process (tests, a single server). Expired entries are pruned
 * as it goes (at most once a minute) and by `prune()`. Several processes need a shared store (the
 * PostgreSQL one).
 */
export function createMemoryReplayStore(options: { now?: () => number } = {}): Required<ReplayStore> & { prune(): Promise<number> } {
  const now = options.now ?? Date.now
  const used = new Map<string, number>()
  const keyOf = ({ scope, jti }: ReplayEntry) => JSON.stringify([scope, jti])
  let nextPrune = 0
  const prune = (time: number) => {
    let removed = 0
    for (const [key, expiresAt] of used) if (expiresAt <= time && used.delete(key)) removed++
    nextPrune = time + 60_000
    return removed
  }
  return {
    async use(entry) {
      const time = now()
      if (time >= nextPrune) prune(time)
      const previous = used.get(keyOf(entry))
      if (previous !== undefined && previous > time) return false
      used.set(keyOf(entry), entry.expiresAt.getTime())
      return true
    },
    async release(entry) {
      used.delete(keyOf(entry))
    },
    prune: async () => prune(now()),
  }
}
