/** What the figures were measured on, for results.json and results.md. */
import { cpus, loadavg, totalmem } from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  memoryBytes: number
  node: string
  platform: string
  /** 1-minute load average when the run started: other work on the machine makes every figure slower. */
  loadAverage: number
}

export function describeMachine(): Machine {
  const processors = cpus()
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
  }
}
