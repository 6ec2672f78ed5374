/**
 * What each delivery came to, noted by the handlers and read once by the
 * server for its one info line per delivery. Bounded: a delivery whose line
 * was never written (serverless hosts) is forgotten after a while.
 */
export class DeliveryOutcomes {
  readonly #outcomes = new Map<string, string>()
  readonly #waiting = new Map<string, (outcome: string) => void>()
  readonly #capacity: number

  constructor(capacity = 1_000) {
    this.#capacity = capacity
  }

  note(deliveryId: string, outcome: string): void {
    const waiting = this.#waiting.get(deliveryId)
    if (waiting) {
      this.#waiting.delete(deliveryId)
      waiting(outcome)
      return
    }
    this.#outcomes.delete(deliveryId)
    this.#outcomes.set(deliveryId, outcome)
    if (this.#outcomes.size > this.#capacity) {
      const oldest = this.#outcomes.keys().next().value
      if (oldest !== undefined) this.#outcomes.delete(oldest)
    }
  }

  /** Calls back with the outcome once it is noted (work still running after the response was sent). */
  whenNoted(deliveryId: string, callback: (outcome: string) => void): void {
    const outcome = this.take(deliveryId)
    if (outcome !== undefined) callback(outcome)
    else this.#waiting.set(deliveryId, callback)
  }

  take(deliveryId: string): string | undefined {
    const outcome = this.#outcomes.get(deliveryId)
    this.#outcomes.delete(deliveryId)
    return outcome
  }
}
