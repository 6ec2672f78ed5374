// The runner stand-in, with the child process held to loopback like the tests themselves.
import { fileURLToPath } from 'node:url'
import { runAction as runWithRunner, type ActionInvocation, type ActionRun } from '../../sandbox/actions-runner.ts'

const BLOCK_NETWORK = fileURLToPath(new URL('./block-network.js', import.meta.url))

export function runAction(invocation: ActionInvocation): Promise<ActionRun> {
  return runWithRunner({ ...invocation, preload: [BLOCK_NETWORK, ...(invocation.preload ?? [])] })
}
