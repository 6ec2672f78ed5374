/**
 * One rotation run against the ports: take the target's lock, load the
 * state, observe the credentials, then let the engine drive, one effect at a
 * time, saving as it asks; release the lock whatever happens. The loser of
 * the lock reports who holds it. `status` and dry runs take no lock and
 * change nothing.
 */
import { ConfigurationError } from '../core/errors.ts'
import { fingerprintOf } from '../core/fingerprint.ts'
import type { Observations, ObservedCredential, RotationCommand, RotationPolicy } from '../core/rotation/rotation-events.ts'
import { advance, startRotationRun, type RotationMachine } from '../core/rotation/rotation-machine.ts'
import { readRotationState, rotationIdAt, type RotationState, type RotationTarget } from '../core/rotation/rotation-state.ts'
import type { LockHolder, RotationLock } from '../ports/rotation.ts'
import { performRotationEffect, reasonOf, type EffectContext, type HeldCredentials, type RotationPorts } from './perform-rotation-effect.ts'

export interface RotationJob {
  command: RotationCommand
  policy: RotationPolicy
  target: RotationTarget
  secretName: string
  stagingSecretName: string
  currentCredential: string | undefined
  stagedCredential: string | undefined
  auditOrigin: EffectContext['auditOrigin']
  stagingInstructions: string
  now: () => Date
  /** Six random hex digits for a rotation id. */
  randomHex: () => string
  maskSecret: (value: string) => void
  /** One line per step, e.g. `step 3 done: mint`: the log people read, and the markers crash tests stop at. */
  progress: (line: string) => void
  /** Cancellation (the runner's SIGINT): the run stops between two steps, saved, and gives the lock back. */
  cancelled?: AbortSignal
}

export interface RotationReport {
  command: RotationCommand
  /** `locked`: another run holds the lock. */
  outcome: 'done' | 'failed' | 'locked'
  rotated: boolean
  state: RotationState | undefined
  lockHolder?: LockHolder
  notes: string[]
  problems: string[]
  steps: string[]
}

export async function rotateCredential(job: RotationJob, ports: RotationPorts & { lock: RotationLock }): Promise<RotationReport> {
  const readOnly = job.command === 'status' || job.policy.dryRun
  const rotationId = rotationIdAt(job.now(), job.randomHex())
  const holder: LockHolder = { rotationId, since: job.now().toISOString() }
  if (!readOnly) {
    const attempt = await ports.lock.acquire(holder)
    if (!attempt.acquired) {
      return {
        command: job.command,
        outcome: 'locked',
        rotated: false,
        state: undefined,
        lockHolder: attempt.holder,
        notes: [`rotation ${attempt.holder.rotationId} holds the lock for ${job.target.secret} (since ${attempt.holder.since}): nothing done; it is in progress`],
        problems: [],
        steps: [],
      }
    }
  }
  try {
    return await driveEngine(job, ports, rotationId)
  } finally {
    if (!readOnly) {
      await ports.lock.release(holder).catch((error: unknown) => job.progress(`could not release the lock (${reasonOf(error)}); it goes stale and is broken by a later run`))
    }
  }
}

async function driveEngine(job: RotationJob, ports: RotationPorts, rotationId: string): Promise<RotationReport> {
  const reading = readRotationState(await ports.state.load(), job.target)
  if (!reading.ok) throw new ConfigurationError(reading.problem)
  const held: HeldCredentials = { current: job.currentCredential, pending: ports.provider.minting === 'assisted' ? job.stagedCredential : undefined }
  const observed = await observe(job, ports, rotationId)
  const context: EffectContext = {
    ports,
    held,
    secretName: job.secretName,
    stagingSecretName: job.stagingSecretName,
    auditOrigin: job.auditOrigin,
    maskSecret: job.maskSecret,
    stagingInstructions: job.stagingInstructions,
  }
  let step = startRotationRun(reading.state, job.command, job.policy, observed, job.now())
  const steps: string[] = []
  while (step.effects[0]) {
    if (job.cancelled?.aborted) {
      const problem = `cancelled after step ${steps.length}; the next run resumes from phase ${step.machine.saved.rotation?.phase ?? 'none'}`
      return { ...reportOf(job.command, step.machine, steps), outcome: 'failed', problems: [...step.machine.run.problems, problem] }
    }
    const effect = step.effects[0]
    const number = steps.length + 1
    job.progress(`step ${number}: ${effect.type}${step.machine.saved.rotation ? ` (rotation ${step.machine.saved.rotation.id}, phase ${step.machine.saved.rotation.phase})` : ''}`)
    const event = await performRotationEffect(effect, step.machine, context)
    steps.push(`${effect.type} → ${event.type}`)
    job.progress(`step ${number} done: ${effect.type} → ${event.type}`)
    step = advance(step.machine, event, job.now())
  }
  return reportOf(job.command, step.machine, steps)
}

/** What the engine needs to know before it decides: the credentials in hand, the secret, what the provider minted. */
async function observe(job: RotationJob, ports: RotationPorts, rotationId: string): Promise<Observations> {
  const describe = async (value: string | undefined): Promise<ObservedCredential | undefined> => {
    if (!value) return undefined
    try {
      return { ...(await ports.provider.describe(value)), fingerprint: fingerprintOf(value) }
    } catch (error) {
      job.progress(`could not describe credential ${fingerprintOf(value)} (${reasonOf(error)}); going on with its fingerprint`)
      return { fingerprint: fingerprintOf(value) }
    }
  }
  const minted = job.command === 'status' ? [] : await ports.provider.listMinted().catch((error: unknown) => {
    job.progress(`could not list minted credentials (${reasonOf(error)}); orphans are looked for next run`)
    return []
  })
  const secret = await ports.secrets.describe(job.secretName)
  return {
    provider: job.target.provider,
    minting: ports.provider.minting,
    rotationId,
    current: await describe(job.currentCredential),
    staged: ports.provider.minting === 'assisted' ? await describe(job.stagedCredential) : undefined,
    secretUpdatedAt: secret?.updatedAt,
    minted: minted.map((record) => ({ ...record })),
  }
}

function reportOf(command: RotationCommand, machine: RotationMachine, steps: string[]): RotationReport {
  return {
    command,
    outcome: machine.run.failed ? 'failed' : 'done',
    rotated: machine.run.rotated,
    state: machine.saved,
    notes: machine.run.notes,
    problems: machine.run.problems,
    steps,
  }
}
