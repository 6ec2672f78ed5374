/** `/warden status`: each credential the rotation knows, its age and expiry, last rotation and use, and work in progress. */
import { readAuditEntries } from '../../adapters/github/audit-trail.ts'
import type { AuditEntry } from '../../core/audit-entry.ts'
import type { CommandDefinition } from '../../core/commands/command-registry.ts'
import type { RotationState, StoredCredential } from '../../core/rotation/rotation-state.ts'
import type { CommandHandler, CommandRun } from './command-run.ts'
import { lockHolder, type LockNote } from './rotation-lock-note.ts'
import { lookUpRotationState, STATE_VARIABLE } from './rotation-state-reader.ts'

export const statusCommand: CommandDefinition<CommandHandler> = {
  name: 'status',
  args: [],
  usage: '/warden status',
  description: 'Shows each credential: provider, fingerprint, age, expiry, last rotation, last use, pending revocations and any rotation in progress.',
  who: 'write-if-configured',
  changesState: false,
  example: '/warden status',
  handler: async (run) => {
    const lookup = await lookUpRotationState(run.github, run.repository, run.config)
    if (lookup.kind === 'not-configured') {
      return { ok: true, body: `No rotation is configured here: add a \`rotation:\` section to .github/jira-warden.yml (see [rotation](${run.docsUrl}/rotation.md)).` }
    }
    if (lookup.kind === 'unreadable') return { ok: false, body: `The rotation state could not be read: ${lookup.problem}` }
    const entries = await readAuditEntries(run.github, run.repository, { trustedAuthors: run.trustedAuditAuthors })
    const lock = await lockHolder(run.github, run.repository)
    return { ok: true, body: statusBody(lookup.state, lookup.exists, entries, lock, run) }
  },
}

function statusBody(state: RotationState, exists: boolean, entries: readonly AuditEntry[], lock: LockNote | undefined, run: CommandRun): string {
  const lines = [`**${state.provider}** credential in secret \`${state.secret}\` (${state.scope})`, '']
  if (!exists) lines.push(`No rotation has run yet (${STATE_VARIABLE} is not set).`, '')
  const rows: string[] = []
  if (state.current) rows.push(credentialRow('current', state.current, undefined, entries, run.now))
  if (state.previous) rows.push(credentialRow('previous', state.previous.credential, `grace ends ${state.previous.graceEndsAt}`, entries, run.now))
  if (rows.length > 0) {
    lines.push('| credential | fingerprint | age | expires | last use | note |', '| --- | --- | --- | --- | --- | --- |', ...rows, '')
  }
  lines.push(`Last rotation: ${state.last ? `${state.last.outcome} at ${state.last.at} (${state.last.rotationId}${state.last.detail ? `: ${state.last.detail}` : ''})` : 'none recorded'}`)
  lines.push(state.rotation ? `Rotation in progress: ${state.rotation.id}, phase ${state.rotation.phase}, since ${state.rotation.startedAt}` : 'No rotation in progress.')
  lines.push(lock ? `Lock held by rotation ${lock.rotationId} since ${lock.since} (\`${lock.ref}\`).` : 'No lock held.')
  lines.push(
    state.revocations.length === 0
      ? 'Pending revocations: none.'
      : `Pending revocations: ${state.revocations.map((revocation) => `\`${revocation.credential.fingerprint}\` due ${revocation.dueAt} (${revocation.reason})`).join(', ')}`,
  )
  if (state.request) lines.push(`Waiting for an admin to stage the next credential since ${state.request.openedAt}: ${state.request.reason}`)
  return lines.join('\n')
}

function credentialRow(label: string, credential: StoredCredential, note: string | undefined, entries: readonly AuditEntry[], now: Date): string {
  const born = credential.createdAt ?? credential.firstSeenAt
  const lastUse = entries.filter((entry) => entry.event === 'credential.used' && entry.fingerprint === credential.fingerprint).at(-1)
  return `| ${label} | \`${credential.fingerprint}\` | ${born ? ageText(born, now) : 'unknown'} | ${credential.expiresAt ?? 'no expiry known'} | ${lastUse ? lastUse.time : 'none on the trail'} | ${note ?? ''} |`
}

function ageText(since: string, now: Date): string {
  const days = Math.floor((now.getTime() - Date.parse(since)) / 86_400_000)
  return days < 1 ? 'under a day' : `${days} day${days === 1 ? '' : 's'}`
}
