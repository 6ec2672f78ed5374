// Loaded with `node --import` into a measured process: its own peak RSS (kB),
// lifetime (ms since the process's time origin), CPU time (ms, user + system:
// what other work on the machine does not inflate) and, at exit, the V8 heap
// and the memory outside it (bytes), written to stderr.
import { performance } from 'node:perf_hooks'

process.on('exit', () => {
  const memory = process.memoryUsage()
  const usage = process.resourceUsage()
  const cpuMs = ((usage.userCPUTime + usage.systemCPUTime) / 1000).toFixed(1)
  process.stderr.write(
    `\nbench:vitals maxRssKb=${usage.maxRSS} lifetimeMs=${performance.now().toFixed(2)} cpuMs=${cpuMs} heapTotal=${memory.heapTotal} heapUsed=${memory.heapUsed} external=${memory.external}\n`,
  )
})
