// The content-creating GitHub requests (POST, PATCH, PUT, DELETE) of one rotation by the built rotate action: only those
// the protocol needs, each named with why; and the write-interval input spaces them. GitHub's secondary limits count these.
import { afterEach, describe, expect, test } from 'vitest'
import type { RequestLogEntry } from '../../sandbox/github/github-sandbox.ts'
import { expectAudited, expectNothingLeaked, expectStoredCredentialLive } from './support/rotation-checks.ts'
import { startRotationWorld, type RotationWorld } from './support/rotation-world.ts'

const CONTENT_CREATING = ['POST', 'PATCH', 'PUT', 'DELETE']
const STATE = 'PATCH /repos/{owner}/{repo}/actions/variables/{name}'
const LOCK = ['POST /repos/{owner}/{repo}/git/refs', 'POST /repos/{owner}/{repo}/actions/variables']
const UNLOCK = ['DELETE /repos/{owner}/{repo}/git/refs/{ref}', 'DELETE /repos/{owner}/{repo}/actions/variables/{name}']
const COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'

let world: RotationWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

function writesSince(from: number): RequestLogEntry[] {
  return (world?.github.log ?? []).slice(from).filter((entry) => CONTENT_CREATING.includes(entry.method))
}
const named = (entries: readonly RequestLogEntry[]) => entries.map((entry) => `${entry.method} ${entry.route ?? entry.path}`)

describe('dc-pat: the writes of one rotation', () => {
  test('first rotation 13, finish 6, the next rotation 10: lock, audit, saved phases, the secret, unlock; no update that fails on 404, no write of unchanged text', async () => {
    world = await startRotationWorld({ provider: 'dc-pat' })
    const first = await world.rotate({ command: 'rotate' })
    expect(first.exitCode, first.stdout).toBe(0)
    expect(named(writesSince(0))).toEqual([
      ...LOCK, // the lock ref, then its holder's note (created: the last release deleted it)
      'POST /repos/{owner}/{repo}/actions/variables', // the state, first save: the credential this run found in the secret
      'POST /repos/{owner}/{repo}/issues', // the month's audit issue, once a month
      'PUT /repos/{owner}/{repo}/issues/{issue_number}/lock', // ... locked to collaborators
      COMMENT, // rotation.intent, before any change
      STATE, // phase intent: the rotation id an orphan would be named after
      STATE, // phase test: the minted credential and its verdict, before the secret is written
      'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', // the secret
      COMMENT, // rotation.completed
      STATE, // phase finish: the new credential current, the old one in grace
      ...UNLOCK,
    ])
    const afterFirst = world.github.log.length

    const finish = await world.rotate({ command: 'finish' })
    expect(finish.exitCode, finish.stdout).toBe(0)
    // credential.revoked, then one save: the previous credential gone and the rotation closed.
    expect(named(writesSince(afterFirst))).toEqual([...LOCK, COMMENT, STATE, ...UNLOCK])
    const afterFinish = world.github.log.length

    const second = await world.rotate({ command: 'rotate' })
    expect(second.exitCode, second.stdout).toBe(0)
    expect(named(writesSince(afterFinish))).toEqual([...LOCK, COMMENT, STATE, STATE, 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', COMMENT, STATE, ...UNLOCK])

    const all = writesSince(0)
    expect(all.filter((entry) => entry.status >= 400)).toEqual([])
    const stateWrites = all.filter((entry) => entry.method === 'PATCH').map((entry) => JSON.stringify(entry.requestBody))
    expect(new Set(stateWrites).size).toBe(stateWrites.length)
    expectStoredCredentialLive(world)
    expectAudited(world, ['rotation.intent', 'rotation.completed', 'credential.revoked'])
    expect(world.state()?.rotation?.phase, 'the second rotation waits for its grace to end').toBe('finish')
    expectNothingLeaked(world, [first, second, finish])
  })

  test('write-interval spaces every content-creating request, and the rotation completes', async () => {
    world = await startRotationWorld({ provider: 'dc-pat' })
    const run = await world.rotate({ command: 'rotate', 'write-interval': '150ms' })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.stdout).toMatch(/content-creating GitHub requests are spaced 0.15 s apart \(write-interval\)/)
    const writes = writesSince(0)
    expect(writes).toHaveLength(13)
    for (const [index, entry] of writes.slice(1).entries()) expect(entry.at - (writes[index]?.at ?? 0)).toBeGreaterThanOrEqual(150 - 25)
    expectStoredCredentialLive(world)
    expectNothingLeaked(world, [run])
  })

  test('a write-interval that is not one fails before any request, naming the forms it takes', async () => {
    world = await startRotationWorld({ provider: 'dc-pat' })
    const run = await world.rotate({ command: 'rotate', 'write-interval': 'fast' })
    expect(run.exitCode).not.toBe(0)
    expect(run.stdout).toMatch(/write-interval: 'fast' is not an interval\. Give seconds/)
    expect(world.github.log).toEqual([])
    expectNothingLeaked(world, [run])
  })
})
