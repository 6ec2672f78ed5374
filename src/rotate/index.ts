import * as core from '@actions/core'
import { PROXY_UNSUPPORTED, useProxyFromEnvironment } from '../adapters/http/use-proxy-from-environment.ts'
import { run } from './main.ts'

if (useProxyFromEnvironment() === 'unsupported') core.warning(PROXY_UNSUPPORTED)
await run()
// A request abandoned at its deadline must not keep the step alive.
process.exit()
