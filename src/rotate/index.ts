import { run } from './main.ts'

await run()
// A request abandoned at its deadline must not keep the step alive.
process.exit()
