/** Everything one bench run found, as bench/results.json holds it. */
import type { ActionMeasurement } from './action-bench.ts'
import type { BenchRow } from './bench-row.ts'
import type { BundleMeasurement } from './bundle-bench.ts'
import type { BundleComposition } from './bundle-parts.ts'
import type { KeyExtractionMeasurement } from './key-extraction-bench.ts'
import type { Machine } from './machine.ts'

export interface BenchResults {
  date: string
  quick: boolean
  latencyMs: number
  durationMs: number
  repetitions: number
  coldStartRepetitions: number
  keyRepetitions: number
  machine: Machine
  /** 1-minute load average when the run ended. */
  loadAverageAtEnd: number
  rows: BenchRow[]
  measurements: {
    action?: ActionMeasurement
    bundle?: BundleMeasurement
    bundleParts?: BundleComposition | undefined
    keyExtraction?: KeyExtractionMeasurement
    [section: string]: unknown
  }
}
