// Loaded with `node --import` into a measured process: its own peak RSS (kB),
// lifetime (ms since the process's time origin) and, at exit, the V8 heap and
// the memory outside it (bytes), written to stderr.
import { performance } from 'node:perf_hooks'

process.on('exit', () => {
  const memory = process.memoryUsage()
  process.stderr.write(
    `\nbench:vitals maxRssKb=${process.resourceUsage().maxRSS} lifetimeMs=${performance.now().toFixed(2)} heapTotal=${memory.heapTotal} heapUsed=${memory.heapUsed} external=${memory.external}\n`,
  )
})
