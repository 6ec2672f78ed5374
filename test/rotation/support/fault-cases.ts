/**
 * Fault and crash cases for the rotate action: a fault at one external call
 * (or a kill after one step), then normal runs, then what must hold. Each
 * case runs in its own pair of sandboxes.
 */
import { expect } from 'vitest'
import type { Fault } from '../../../sandbox/http/sandbox-server.ts'
import type { ActionRun } from '../../../sandbox/actions-runner.ts'
import { fingerprintOf } from '../../../src/core/fingerprint.ts'
import { expectNoLeaks } from '../../support/leak-scan.ts'
import { CRASH_AFTER_STEP, REPOSITORY, startRotationWorld, type RotationWorld, type WorldOptions } from './rotation-world.ts'

export interface ExternalCall {
  host: 'github' | 'jira'
  method: Fault['method']
  path: string
  route: string
  /** Earlier calls with the same method and path in the run. */
  skip: number
}

export interface FaultKind {
  label: string
  fault: Pick<Fault, 'kind' | 'status' | 'times'>
}

export const FAULT_KINDS: FaultKind[] = [
  // Outlasts every retry: the step fails.
  { label: '502', fault: { kind: 'status', status: 502, times: 20 } },
  { label: 'dropped', fault: { kind: 'drop', times: 20 } },
  // One lost answer: retried where that is safe, a failed step where it is not.
  { label: 'timeout', fault: { kind: 'timeout', times: 1 } },
]

/** The external calls of one `rotate` run, in order, from a clean run's request logs. */
export async function callsOfOneRotation(options: WorldOptions): Promise<ExternalCall[]> {
  const world = await startRotationWorld(options)
  try {
    if (options.provider !== 'dc-pat') world.stageNext()
    const run = await world.rotate({ command: 'rotate' })
    expect(run.exitCode, run.stdout).toBe(0)
    const calls = [
      ...world.github.log.map((entry) => ({ host: 'github' as const, entry })),
      ...world.jira.log.map((entry) => ({ host: 'jira' as const, entry })),
    ].sort((a, b) => a.entry.at - b.entry.at)
    const seen = new Map<string, number>()
    return calls.map(({ host, entry }) => {
      const key = `${host} ${entry.method} ${entry.path}`
      const skip = seen.get(key) ?? 0
      seen.set(key, skip + 1)
      return { host, method: entry.method as Fault['method'], path: entry.path, route: entry.route ?? entry.path, skip }
    })
  } finally {
    await world.close()
  }
}

export interface CaseResult {
  firstRun: string
  repairRuns: number
  problems: string[]
}

export async function runFaultCase(options: WorldOptions, call: ExternalCall, kind: FaultKind): Promise<CaseResult> {
  const world = await startRotationWorld(options)
  const runs: ActionRun[] = []
  try {
    const original = world.storedValue() ?? ''
    if (options.provider !== 'dc-pat') world.stageNext()
    const sandbox = call.host === 'github' ? world.github : world.jira
    sandbox.inject({ ...kind.fault, ...(call.method ? { method: call.method } : {}), path: exactly(call.path), skip: call.skip })
    const first = await world.rotate({ command: 'rotate' })
    runs.push(first)
    sandbox.clearFaults()
    const problems = [...invariantsNow(world, 'after the faulty run')]
    const repairRuns = await repair(world, runs)
    problems.push(...settledProblems(world, original, runs))
    return { firstRun: first.exitCode === 0 ? 'ok' : 'failed', repairRuns, problems }
  } finally {
    await world.close()
  }
}

export async function runCrashCase(options: WorldOptions, crashAfterStep: number, during: 'rotate' | 'finish'): Promise<CaseResult> {
  const world = await startRotationWorld(options)
  const runs: ActionRun[] = []
  try {
    const original = world.storedValue() ?? ''
    if (options.provider !== 'dc-pat') world.stageNext()
    if (during === 'finish') runs.push(await world.rotate({ command: 'rotate' }))
    const first = await world.rotate({ command: during }, { env: { JIRA_WARDEN_TEST_CRASH_AFTER: String(crashAfterStep) }, preload: [CRASH_AFTER_STEP] })
    runs.push(first)
    const problems = [...invariantsNow(world, 'after the killed run')]
    const repairRuns = await repair(world, runs)
    problems.push(...settledProblems(world, original, runs))
    return { firstRun: first.exitCode === 0 ? 'completed (fewer steps)' : 'killed', repairRuns, problems }
  } finally {
    await world.close()
  }
}

/** Normal runs, as the schedule would make them: auto, then finish; a lock left by a dead run is waited out. */
async function repair(world: RotationWorld, runs: ActionRun[]): Promise<number> {
  let count = 0
  for (const command of ['auto', 'finish']) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      // An admin answers an open request (a refused staged credential is discarded) by staging another.
      const requestOpen = world.github.issues(REPOSITORY).some((issue) => issue.state === 'open' && issue.labels.includes('jira-warden:rotation-request'))
      if (world.provider !== 'dc-pat' && command === 'auto' && requestOpen && world.stagedValue() === undefined) world.stageNext()
      const run = await world.rotate({ command })
      runs.push(run)
      count += 1
      const askedForAnother = /asked the admins for the next credential/.test(run.stdout)
      if (!/holds the lock/.test(run.stdout) && !askedForAnother) break
      world.ageLock()
    }
  }
  return count
}

function invariantsNow(world: RotationWorld, when: string): string[] {
  const stored = world.storedValue()
  return stored && world.jira.credentialState(stored) === 'live' ? [] : [`${when}: the secret does not hold a credential Jira accepts`]
}

function settledProblems(world: RotationWorld, original: string, runs: readonly ActionRun[]): string[] {
  const problems: string[] = []
  const stored = world.storedValue() ?? ''
  if (world.jira.credentialState(stored) !== 'live') problems.push('the secret does not hold a credential Jira accepts')
  if (stored === original) problems.push('no rotation happened')
  if (world.jira.credentialState(original) === 'live' && world.provider !== 'cloud-oauth-client') problems.push('the old credential is still accepted after finish')
  if (world.provider === 'dc-pat') {
    const alive = world.jira.pats(world.jira.user('demo'))
    if (alive.length !== 1) problems.push(`${alive.length} PATs alive (${alive.map((pat) => pat.name).join(', ')}): expected only the stored one`)
  }
  const state = world.state()
  if (state?.rotation) problems.push(`rotation ${state.rotation.id} still in phase ${state.rotation.phase}`)
  if (state?.previous) problems.push('a previous credential is still in grace')
  if (state?.revocations.length) problems.push(`${state.revocations.length} revocation(s) pending`)
  if (state?.current?.fingerprint !== fingerprintOf(stored)) problems.push('the state does not name the stored credential')
  const audit = world.auditEntries()
  if (!audit.some((entry) => entry.event === 'rotation.completed' && entry.fingerprint === fingerprintOf(stored))) problems.push('no rotation.completed entry for the stored credential')
  const revokedByApi = world.provider === 'dc-pat' || world.jira.credentialState(original) === 'revoked'
  if (revokedByApi && !audit.some((entry) => entry.event === 'credential.revoked' && entry.fingerprint === fingerprintOf(original))) {
    problems.push('no credential.revoked entry for the old credential')
  }
  try {
    expectNoLeaks([...runs.map((run) => run.everything), world.githubText()], world.secrets())
  } catch {
    problems.push('a credential leaked into the output, GitHub or the state')
  }
  return problems
}

function exactly(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
}
