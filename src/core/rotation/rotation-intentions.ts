/** What a run would do, in words, for dry-run: the same order as the plan, nothing performed. */
import { describeSpan } from './rotation-due.ts'
import type { RotationMachine } from './rotation-machine.ts'

export function dryRunIntentions(machine: RotationMachine, now: Date): string[] {
  const { saved, run } = machine
  const lines: string[] = []
  const would = (line: string) => lines.push(`dry-run: would ${line}`)
  if (run.command === 'status') return lines
  if (run.command !== 'verify') {
    for (const orphan of run.orphans) would(`revoke ${orphan.fingerprint}, an orphan of an interrupted rotation`)
    const finishing = run.command === 'finish'
    for (const revocation of saved.revocations) {
      if (finishing || Date.parse(revocation.dueAt) <= now.getTime()) would(`revoke ${revocation.credential.fingerprint} (${revocation.reason})`)
    }
    const previous = saved.previous
    if (previous) {
      const left = Date.parse(previous.graceEndsAt) - now.getTime()
      if (finishing || left <= 0) would(`revoke the previous credential ${previous.credential.fingerprint} (grace ${left <= 0 ? 'ended' : 'ended early by finish'})`)
      else lines.push(`the previous credential ${previous.credential.fingerprint} stays valid for ${describeSpan(left)} more`)
    }
    if (saved.rotation && saved.rotation.phase !== 'finish') would(`resume rotation ${saved.rotation.id} from phase ${saved.rotation.phase}`)
  }
  switch (run.main) {
    case 'rotate':
      would(`rotate the credential (${run.mainReason})${run.observed.minting === 'assisted' ? ' by promoting the staged one' : ''}`)
      break
    case 'request':
      would(`ask the admins for the next credential (${run.mainReason})`)
      break
    case 'verify':
      would(`verify the current credential (${run.mainReason})`)
      break
    case 'none':
      break
  }
  if (lines.length === 0) lines.push('dry-run: nothing to do')
  return lines
}
