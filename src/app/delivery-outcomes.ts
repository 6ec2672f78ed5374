/**
 * What each delivery came to, noted by the handlers and read once by the
 * server for its one info line per delivery. Bounded: a delivery whose line
 * was never written (serverless hosts) is forgotten after a while.
 */
export class DeliveryOutcomes {
  readonly #outcomes = new Map<string, string>()
  readonly #capacity: number

  constructor(capacity = 1_000) {
    this.#capacity = capacity
  }

  note(deliveryId: string, outcome: string): void {
    this.#outcomes.delete(deliveryId)
    this.#outcomes.set(deliveryId, outcome)
    if (this.#outcomes.size > this.#capacity) {
      const oldest = this.#outcomes.keys().next().value
      if (oldest !== undefined) this.#outcomes.delete(oldest)
    }
  }

  take(deliveryId: string): string | undefined {
    const outcome = this.#outcomes.get(deliveryId)
    this.#outcomes.delete(deliveryId)
    return outcome
  }
}
