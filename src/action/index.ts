import { useProxyFromEnvironment } from '../adapters/http/use-proxy-from-environment.ts'
import { run } from './main.ts'

await run(useProxyFromEnvironment())
// A request abandoned at its deadline must not keep the step alive.
process.exit()
