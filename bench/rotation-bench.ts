/** Rotation figures: one repository end to end, an organization of 200 repositories, and the same with an organization secret. */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { notMeasured, type BenchRow } from './bench-row.ts'

const ROTATE_ENTRY = fileURLToPath(new URL('../dist/rotate/index.js', import.meta.url))

export interface RotationSection {
  rows: BenchRow[]
  measurement: unknown
}

export async function rotationRows(_options: { latencyMs: number; quick: boolean }, progress: (line: string) => void): Promise<RotationSection> {
  const reason = existsSync(ROTATE_ENTRY) ? 'the rotation bench is not written yet' : 'dist/rotate/index.js (the rotate action) is not built'
  progress(`rotation: ${reason}`)
  return {
    rows: [
      notMeasured('rotation', 'one repository end to end: requests to Jira and GitHub, wall time', '—', reason),
      notMeasured('rotation', '200 repositories under the secondary content-creation limit: wall time, limit hits', '0 limit hits', reason),
      notMeasured('rotation', '200 repositories sharing one organization secret: wall time, limit hits', '0 limit hits', reason),
    ],
    measurement: { measured: false, reason },
  }
}
