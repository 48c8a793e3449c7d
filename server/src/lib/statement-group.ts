import { isDatabaseUnavailable } from './is-database-unavailable.ts'

export interface StatementGroup<Item, Result> {
  /** Resolves once the statement that carried the item has finished (for a write: committed). */
  run(item: Item): Promise<Result>
}

/**
 * Many callers' items in one statement: an item that arrives while no statement is running goes at once (no
 * timer, so a lone caller waits for nothing); those that arrive while one runs go together in the next. One
 * statement at a time. If a statement fails and the database is reachable, each item is tried again alone, so one
 * bad item cannot fail its neighbours; if the database is unreachable, every waiting caller gets the error.
 */
export function createStatementGroup<Item, Result>(
  write: (items: Item[]) => Promise<Result[]>,
  options: { maxBatch?: number } = {},
): StatementGroup<Item, Result> {
  const maxBatch = options.maxBatch ?? 64
  let queue: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = []
  let isWriting = false

  async function send(batch: typeof queue): Promise<void> {
    try {
      const results = await write(batch.map((waiting) => waiting.item))
      batch.forEach((waiting, index) => waiting.resolve(results[index] as Result))
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error)
        return
      }
      for (const waiting of batch) await send([waiting])
    }
  }

  async function drain(): Promise<void> {
    isWriting = true
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch)
        queue = queue.slice(maxBatch)
        await send(batch)
      }
    } finally {
      isWriting = false
    }
  }

  return {
    run(item) {
      return new Promise<Result>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        if (!isWriting) void drain()
      })
    },
  }
}

/** One group per key object (a database handle), made on first use, so every caller on that handle shares it. */
export function groupPerKey<Key extends object, Group>(make: (key: Key) => Group): (key: Key) => Group {
  const groups = new WeakMap<Key, Group>()
  return (key) => {
    let group = groups.get(key)
    if (!group) {
      group = make(key)
      groups.set(key, group)
    }
    return group
  }
}
