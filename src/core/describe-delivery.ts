/** deployment_status, release and push payloads → WardenEvent. */
import type { EventBase, UnsupportedEvent, WardenEvent } from './event.ts'
import { flagAt, listAt, objectAt, textAt, type PayloadObject } from './payload-fields.ts'
import { DEPLOYMENT_STATE_CONDITIONS, RELEASE_ACTIONS } from './triggers.ts'

export function describeDeploymentStatus(eventName: string, payload: PayloadObject, base: EventBase): WardenEvent | UnsupportedEvent {
  const status = objectAt(payload, 'deployment_status')
  if (!status) return { unsupported: true, reason: `the ${eventName} payload has no deployment_status.` }
  const notes = [...base.notes]
  const state = textAt(status, 'state')
  const condition = state === undefined ? undefined : DEPLOYMENT_STATE_CONDITIONS[state]
  if (condition === undefined) notes.push(`deployment state '${state ?? 'missing'}' is not one jira-warden knows: no if: condition holds`)
  const environment = textAt(status, 'environment') ?? textAt(payload, 'deployment', 'environment')
  if (environment === undefined) notes.push('missing environment: rules with environment: do not match')
  const ref = textAt(payload, 'deployment', 'ref')
  return {
    trigger: 'deployment_status',
    condition: condition ?? [],
    ...withBase(base, notes),
    state,
    environment,
    ref,
    branch: branchOfRef(ref),
    sha: textAt(payload, 'deployment', 'sha'),
    url: textAt(status, 'environment_url') ?? textAt(status, 'target_url') ?? textAt(status, 'log_url'),
    version: ref === undefined ? undefined : shortRef(ref),
  }
}

export function describeRelease(eventName: string, payload: PayloadObject, base: EventBase): WardenEvent | UnsupportedEvent {
  const action = textAt(payload, 'action') ?? ''
  if (!(RELEASE_ACTIONS as readonly string[]).includes(action)) {
    const shown = action === '' ? 'no action' : `action '${action}'`
    return { unsupported: true, reason: `${eventName} with ${shown} is not one jira-warden acts on (it acts on ${RELEASE_ACTIONS.join(', ')}).` }
  }
  const release = objectAt(payload, 'release')
  if (!release) return { unsupported: true, reason: `the ${eventName} payload has no release.` }
  const notes = [...base.notes]
  const tag = textAt(release, 'tag_name')
  if (tag === undefined) notes.push('missing tag_name: no version for fix-version')
  return {
    trigger: `release.${action}`,
    condition: [flagAt(release, 'prerelease') === true ? 'prerelease' : 'stable'],
    ...withBase(base, notes),
    title: textAt(release, 'name'),
    body: textAt(release, 'body'),
    ref: tag,
    url: textAt(release, 'html_url'),
    version: tag,
  }
}

/** Branch pushes only: a tag push is left to `release.published`, a deleted branch has nothing to move. */
export function describePush(eventName: string, payload: PayloadObject, base: EventBase): WardenEvent | UnsupportedEvent {
  const ref = textAt(payload, 'ref')
  if (ref === undefined) return { unsupported: true, reason: `the ${eventName} payload has no ref.` }
  if (ref.startsWith('refs/tags/')) {
    return { unsupported: true, reason: `a tag push (${ref}): jira-warden acts on branch pushes; use on: release.published for tags.` }
  }
  if (!ref.startsWith('refs/heads/')) return { unsupported: true, reason: `a push to ${ref}, which is not a branch.` }
  if (flagAt(payload, 'deleted') === true) return { unsupported: true, reason: `a branch deletion (${ref}): there is nothing to move.` }
  return {
    trigger: 'push',
    condition: [],
    ...withBase(base, [...base.notes]),
    ref,
    branch: ref.slice('refs/heads/'.length),
    sha: textAt(payload, 'after'),
    url: textAt(payload, 'compare'),
    commits: commitMessages(payload),
  }
}

function commitMessages(payload: PayloadObject): string[] {
  const messages = listAt(payload, 'commits')
    .map((commit) => textAt(commit, 'message'))
    .filter((message) => message !== undefined)
  const head = textAt(payload, 'head_commit', 'message')
  return messages.length === 0 && head !== undefined ? [head] : messages
}

function withBase(base: EventBase, notes: string[]) {
  return {
    repository: base.repository,
    actor: base.actor,
    notes,
    fromFork: false,
    secretsUnavailableReason: base.secretsUnavailableReason,
  }
}

/** A deployment ref names a branch unless it is a commit SHA or a tag. */
function branchOfRef(ref: string | undefined): string | undefined {
  if (ref === undefined || /^[0-9a-f]{40}$/i.test(ref) || ref.startsWith('refs/tags/')) return undefined
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length)
  return ref.startsWith('refs/') ? undefined : ref
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '')
}
