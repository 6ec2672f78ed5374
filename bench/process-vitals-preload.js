// Loaded with `node --import` into a measured process: its own peak RSS (kB) and
// lifetime (ms since the process's time origin), written to stderr at exit.
import { performance } from 'node:perf_hooks'

process.on('exit', () => {
  process.stderr.write(`\nbench:vitals maxRssKb=${process.resourceUsage().maxRSS} lifetimeMs=${performance.now().toFixed(2)}\n`)
})
