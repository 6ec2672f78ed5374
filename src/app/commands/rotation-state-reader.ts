/**
 * The rotation state as the app sees it: the JIRA_WARDEN_STATE repository
 * variable (never a secret), validated by the rotation engine's schema.
 */
import { statusOf, type GitHubClient, type RepositoryRef } from '../../adapters/github/github-client.ts'
import type { WardenConfig } from '../../core/config.ts'
import { PROVIDER_NAMES, readRotationState, type RotationState, type RotationTarget } from '../../core/rotation/rotation-state.ts'

export const STATE_VARIABLE = 'JIRA_WARDEN_STATE'

export type StateLookup =
  | { kind: 'state'; state: RotationState; exists: boolean }
  | { kind: 'not-configured' }
  | { kind: 'unreadable'; problem: string }

export async function lookUpRotationState(github: GitHubClient, repository: RepositoryRef, config: WardenConfig): Promise<StateLookup> {
  let text: string | undefined
  try {
    text = (await github.rest.actions.getRepoVariable({ ...repository, name: STATE_VARIABLE })).data.value
  } catch (error) {
    const status = statusOf(error)
    if (status !== 404) {
      return { kind: 'unreadable', problem: `the ${STATE_VARIABLE} variable could not be read (${status ? `GitHub answered ${status}` : 'GitHub could not be reached'}); the app needs the Variables (read) permission.` }
    }
  }
  // Without a rotation section the state still says what it tracks: trust its own target, validated all the same.
  const target = config.rotation ?? targetNamedIn(text)
  if (!target) {
    if (text === undefined) return { kind: 'not-configured' }
    return { kind: 'unreadable', problem: `${STATE_VARIABLE} does not name a provider, secret and scope: fix or delete the variable (see docs/rotation.md).` }
  }
  const reading = readRotationState(text, { provider: target.provider, secret: target.secret, scope: target.scope })
  if (!reading.ok) return { kind: 'unreadable', problem: reading.problem }
  return { kind: 'state', state: reading.state, exists: text !== undefined }
}

function targetNamedIn(text: string | undefined): RotationTarget | undefined {
  if (text === undefined) return undefined
  try {
    const raw = JSON.parse(text) as Partial<Record<keyof RotationTarget, unknown>>
    const { provider, secret, scope } = raw
    if (typeof secret !== 'string' || typeof scope !== 'string' || !(PROVIDER_NAMES as readonly unknown[]).includes(provider)) return undefined
    return { provider: provider as RotationTarget['provider'], secret, scope }
  } catch {
    return undefined
  }
}
