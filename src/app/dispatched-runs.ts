/**
 * Which comment each dispatched run answers, remembered by the process that
 * dispatched it: the fallback when a run's title does not carry the comment
 * (a rotation workflow without the documented run-name). With several
 * replicas only the run-name works, since another replica may receive the
 * workflow_run.
 */
export interface DispatchedRun {
  issueNumber: number
  commentId: number
  url: string
  command: string
}

export class DispatchedRuns {
  readonly #runs = new Map<number, DispatchedRun>()
  readonly #waiting = new Map<number, Array<(run: DispatchedRun) => void>>()
  readonly #capacity: number

  constructor(capacity = 1_000) {
    this.#capacity = capacity
  }

  remember(runId: number, run: DispatchedRun): void {
    for (const wake of this.#waiting.get(runId) ?? []) wake(run)
    this.#waiting.delete(runId)
    this.#runs.set(runId, run)
    if (this.#runs.size > this.#capacity) {
      const oldest = this.#runs.keys().next().value
      if (oldest !== undefined) this.#runs.delete(oldest)
    }
  }

  /**
   * The run's thread; a fast run can complete before its dispatch call has
   * returned here, so a run not yet known is waited for a little while.
   */
  recall(runId: number, waitMs = 0): Promise<DispatchedRun | undefined> {
    const known = this.#runs.get(runId)
    if (known || waitMs <= 0) return Promise.resolve(known)
    return new Promise((resolve) => {
      const wake = (run: DispatchedRun | undefined) => {
        clearTimeout(timer)
        const waiting = (this.#waiting.get(runId) ?? []).filter((candidate) => candidate !== wake)
        if (waiting.length > 0) this.#waiting.set(runId, waiting)
        else this.#waiting.delete(runId)
        resolve(run)
      }
      const timer = setTimeout(() => wake(undefined), waitMs)
      this.#waiting.set(runId, [...(this.#waiting.get(runId) ?? []), wake])
    })
  }
}
