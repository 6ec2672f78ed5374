/**
 * The first line of redelivery defence, inside one process: delivery ids
 * and comment ids already taken, in a bounded memory. Across replicas and
 * restarts the claim that counts is the app's own reaction on the comment
 * (see claim-comment.ts): GitHub answers 201 to the first and 200 to every
 * later attempt.
 */
export class SeenDeliveries {
  readonly #capacity: number
  readonly #seen = new Set<string>()

  constructor(capacity = 10_000) {
    this.#capacity = capacity
  }

  /** True the first time a key is offered; false ever after (while remembered). */
  firstTime(key: string): boolean {
    if (this.#seen.has(key)) return false
    this.#seen.add(key)
    if (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.values().next().value
      if (oldest !== undefined) this.#seen.delete(oldest)
    }
    return true
  }
}
