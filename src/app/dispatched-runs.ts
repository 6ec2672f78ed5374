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
  readonly #capacity: number

  constructor(capacity = 1_000) {
    this.#capacity = capacity
  }

  remember(runId: number, run: DispatchedRun): void {
    this.#runs.set(runId, run)
    if (this.#runs.size > this.#capacity) {
      const oldest = this.#runs.keys().next().value
      if (oldest !== undefined) this.#runs.delete(oldest)
    }
  }

  recall(runId: number): DispatchedRun | undefined {
    return this.#runs.get(runId)
  }
}
