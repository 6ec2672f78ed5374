/** Server host figures: webhook acknowledgement latency and throughput under a fixed rate of signed deliveries. */
import { notMeasured, type BenchRow } from './bench-row.ts'

export interface ServerHostSection {
  rows: BenchRow[]
  measurement: unknown
}

export async function serverHostRows(_options: { quick: boolean }, progress: (line: string) => void): Promise<ServerHostSection> {
  const reason = 'the webhook load bench is not written yet'
  progress(`server host: ${reason}`)
  return {
    rows: [notMeasured('server host', 'webhook ack latency p50/p99 at 200 deliveries/s', 'p99 ≤ 50 ms', reason)],
    measurement: { measured: false, reason },
  }
}
