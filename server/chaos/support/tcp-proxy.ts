import net from 'node:net'

export interface ProxyConnection {
  id: number
  /** Free for a rule to remember what it saw on this connection (e.g. "inserted the row"). */
  notes: Set<string>
}

/**
 * Decides whether a chunk is the moment to freeze this direction of this connection. Once frozen, it and every
 * later chunk in that direction wait in the proxy until release() — the far side sees a peer that went quiet.
 */
export type HoldRule = (text: string, connection: ProxyConnection) => boolean

export interface HoldEvent {
  connectionId: number
  direction: 'to-server' | 'to-client'
  text: string
}

export interface TcpProxy {
  port: number
  /** Every connection dropped and new ones refused, as when the server behind goes away. */
  cut(): Promise<void>
  /** Accepting again on the same port. */
  restore(): Promise<void>
  isCut(): boolean
  /** Rules checked on every chunk from now on; the first match freezes that direction of that connection. */
  holdWhen(rules: { toServer?: HoldRule; toClient?: HoldRule }): void
  /** Resolves at the next freeze (or with the one that already happened since holdWhen). */
  nextHold(timeoutMs: number): Promise<HoldEvent>
  /** Forgets the rules and lets everything held through. */
  releaseAll(): void
  openConnections(): number
  close(): Promise<void>
}

interface Pipe {
  connection: ProxyConnection
  client: net.Socket
  upstream: net.Socket
  held: { 'to-server': Buffer[] | null; 'to-client': Buffer[] | null }
}

/**
 * A TCP proxy the test controls, put between a server process and what it depends on (Postgres, Vapi): cut it to
 * simulate an outage without touching the shared Postgres others use, or freeze one connection at the exact
 * statement or answer where a crash should land.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pipes = new Set<Pipe>()
  let rules: { toServer?: HoldRule; toClient?: HoldRule } = {}
  let pendingHold: HoldEvent | null = null
  let holdWaiter: ((event: HoldEvent) => void) | null = null
  let nextId = 1
  let isCut = false

  const announce = (event: HoldEvent) => {
    if (holdWaiter) {
      const waiter = holdWaiter
      holdWaiter = null
      waiter(event)
    } else {
      pendingHold = event
    }
  }

  const forward = (pipe: Pipe, direction: 'to-server' | 'to-client', chunk: Buffer) => {
    const queue = pipe.held[direction]
    if (queue) {
      queue.push(chunk)
      return
    }
    const rule = direction === 'to-server' ? rules.toServer : rules.toClient
    const text = chunk.toString('latin1')
    if (rule?.(text, pipe.connection)) {
      pipe.held[direction] = [chunk]
      announce({ connectionId: pipe.connection.id, direction, text })
      return
    }
    const destination = direction === 'to-server' ? pipe.upstream : pipe.client
    if (!destination.destroyed) destination.write(chunk)
  }

  const onConnection = (client: net.Socket) => {
    if (isCut) {
      client.destroy()
      return
    }
    const upstream = net.connect(target.port, target.host)
    const pipe: Pipe = {
      connection: { id: nextId++, notes: new Set() },
      client,
      upstream,
      held: { 'to-server': null, 'to-client': null },
    }
    pipes.add(pipe)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    const end = () => {
      pipes.delete(pipe)
      client.destroy()
      upstream.destroy()
    }
    client.on('data', (chunk: Buffer) => forward(pipe, 'to-server', chunk))
    upstream.on('data', (chunk: Buffer) => forward(pipe, 'to-client', chunk))
    client.on('close', end)
    upstream.on('close', end)
    client.on('error', end)
    upstream.on('error', end)
  }

  let server = net.createServer(onConnection)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port

  const closeListener = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
    })

  return {
    port,
    isCut: () => isCut,
    cut: async () => {
      isCut = true
      const closed = closeListener()
      for (const pipe of pipes) {
        pipe.client.destroy()
        pipe.upstream.destroy()
      }
      pipes.clear()
      await closed
    },
    restore: async () => {
      if (!isCut) return
      server = net.createServer(onConnection)
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => resolve())
      })
      isCut = false
    },
    holdWhen: (next) => {
      rules = next
      pendingHold = null
    },
    nextHold: (timeoutMs) => {
      if (pendingHold) {
        const event = pendingHold
        pendingHold = null
        return Promise.resolve(event)
      }
      return new Promise<HoldEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          holdWaiter = null
          reject(new Error(`no connection was held within ${timeoutMs} ms`))
        }, timeoutMs)
        holdWaiter = (event) => {
          clearTimeout(timer)
          resolve(event)
        }
      })
    },
    releaseAll: () => {
      rules = {}
      pendingHold = null
      for (const pipe of pipes) {
        for (const direction of ['to-server', 'to-client'] as const) {
          const queue = pipe.held[direction]
          pipe.held[direction] = null
          const destination = direction === 'to-server' ? pipe.upstream : pipe.client
          for (const chunk of queue ?? []) if (!destination.destroyed) destination.write(chunk)
        }
      }
    },
    openConnections: () => pipes.size,
    close: async () => {
      for (const pipe of pipes) {
        pipe.client.destroy()
        pipe.upstream.destroy()
      }
      pipes.clear()
      if (!isCut) await closeListener()
    },
  }
}
