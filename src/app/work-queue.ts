/**
 * The work of verified deliveries, done after the acknowledgement: a handler
 * enqueues and returns, so GitHub gets its answer at once while the command
 * waits for GitHub's spaced writes. Bounded in both directions: at most
 * `concurrency` pieces run at a time and at most `capacity` wait, and on
 * shutdown the queue stops taking work and drains for a bounded time.
 */
export type Work = () => Promise<void>

export interface WorkQueueOptions {
  /** Pieces of work running at once (commands mostly wait on GitHub, not on this process). */
  concurrency?: number
  /** Pieces allowed to wait beyond those running; more is refused so GitHub's delivery fails visibly and can be redelivered. */
  capacity?: number
  /** Told about work that threw: by then the delivery was answered, so nobody else will hear of it. */
  onFailure?: (deliveryId: string, error: unknown) => void
}

export interface DrainResult {
  /** Every piece finished within the wait. */
  drained: boolean
  /** Pieces still running or waiting when the wait ended. */
  unfinished: number
}

export class WorkQueueRefused extends Error {
  constructor(reason: string) {
    super(`the work queue refused the delivery: ${reason}`)
    this.name = 'WorkQueueRefused'
  }
}

interface Piece {
  deliveryId: string
  work: Work
  done: () => void
}

export class WorkQueue {
  readonly #concurrency: number
  readonly #capacity: number
  readonly #onFailure: (deliveryId: string, error: unknown) => void
  readonly #waiting: Piece[] = []
  /** Delivery id → when all of its work has ended (a redelivery under the same id adds to it). */
  readonly #settled = new Map<string, { pieces: number; promise: Promise<void>; resolve: () => void }>()
  #running = 0
  #accepting = true
  #idle: Array<() => void> = []

  constructor(options: WorkQueueOptions = {}) {
    this.#concurrency = options.concurrency ?? 16
    this.#capacity = options.capacity ?? 1_000
    this.#onFailure = options.onFailure ?? (() => undefined)
  }

  /** Takes the work and returns at once; throws WorkQueueRefused when shutting down or full. */
  enqueue(deliveryId: string, work: Work): void {
    if (!this.#accepting) throw new WorkQueueRefused('the server is shutting down')
    if (this.#waiting.length >= this.#capacity) throw new WorkQueueRefused(`${this.#capacity} deliveries are already waiting`)
    const entry = this.#settled.get(deliveryId) ?? this.#newEntry(deliveryId)
    entry.pieces += 1
    const done = () => {
      entry.pieces -= 1
      if (entry.pieces > 0) return
      this.#settled.delete(deliveryId)
      entry.resolve()
    }
    this.#waiting.push({ deliveryId, work, done })
    this.#next()
  }

  /** Resolves when the delivery's work has ended; undefined when none is pending. */
  whenSettled(deliveryId: string): Promise<void> | undefined {
    return this.#settled.get(deliveryId)?.promise
  }

  get pending(): number {
    return this.#running + this.#waiting.length
  }

  /** Stops taking work and waits for what was taken, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<DrainResult> {
    this.#accepting = false
    if (this.pending === 0) return { drained: true, unfinished: 0 }
    let timer: NodeJS.Timeout | undefined
    const idle = new Promise<boolean>((resolve) => this.#idle.push(() => resolve(true)))
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const drained = await Promise.race([idle, timeout])
    clearTimeout(timer)
    return { drained, unfinished: drained ? 0 : this.pending }
  }

  #newEntry(deliveryId: string) {
    let resolve = () => {}
    const promise = new Promise<void>((settle) => {
      resolve = settle
    })
    const entry = { pieces: 0, promise, resolve }
    this.#settled.set(deliveryId, entry)
    return entry
  }

  #next(): void {
    while (this.#running < this.#concurrency) {
      const piece = this.#waiting.shift()
      if (!piece) break
      this.#running += 1
      // Started on a later turn, so the acknowledgement is written before any of the work runs.
      setImmediate(() => void this.#run(piece))
    }
    if (this.pending === 0) {
      for (const wake of this.#idle.splice(0)) wake()
    }
  }

  async #run(piece: Piece): Promise<void> {
    try {
      await piece.work()
    } catch (error) {
      try {
        this.#onFailure(piece.deliveryId, error)
      } catch {
        // A failing logger must not stop the queue.
      }
    } finally {
      this.#running -= 1
      piece.done()
      this.#next()
    }
  }
}
