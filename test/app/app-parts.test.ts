import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { DeliveryOutcomes } from '../../src/app/delivery-outcomes.ts'
import { SeenDeliveries } from '../../src/app/seen-deliveries.ts'
import { WorkQueue, WorkQueueRefused } from '../../src/app/work-queue.ts'
import { requestingCommentIn, ROTATION_RUN_NAME } from '../../src/app/workflow-run-result.ts'

describe('requestingCommentIn: the comment a rotation run answers, from its title', () => {
  const url = 'https://github.com/acme/shop/issues/12#issuecomment-1500000001'
  test.each<[string, string, ReturnType<typeof requestingCommentIn>]>([
    ['the run-name the docs give', `jira-warden rotate  ${url}`, { issueNumber: 12, commentId: 1500000001, url, command: 'rotate' }],
    ['revoke, dispatched as finish, with a fingerprint', `jira-warden finish 0123456789ab ${url}`, { issueNumber: 12, commentId: 1500000001, url, command: 'revoke' }],
    ['a pull request thread', 'jira-warden verify  https://github.com/acme/shop/pull/7#issuecomment-9', { issueNumber: 7, commentId: 9, url: 'https://github.com/acme/shop/pull/7#issuecomment-9', command: 'verify' }],
    ['case differs in the repository name', `jira-warden rotate  https://github.com/ACME/Shop/issues/12#issuecomment-1`, { issueNumber: 12, commentId: 1, url: 'https://github.com/ACME/Shop/issues/12#issuecomment-1', command: 'rotate' }],
    ['another repository', 'jira-warden rotate  https://github.com/evil/shop/issues/12#issuecomment-1', undefined],
    ['a look-alike repository name', 'jira-warden rotate  https://github.com/acme/shop-x/issues/12#issuecomment-1', undefined],
    ['no comment anchor', 'jira-warden rotate  https://github.com/acme/shop/issues/12', undefined],
    ['an ordinary run title', 'Update README.md', undefined],
  ])('%s', (_name, title, expected) => {
    expect(requestingCommentIn(title, 'acme/shop')).toEqual(expected)
  })

  test('the documented run-name names command, fingerprint and comment', () => {
    expect(ROTATION_RUN_NAME).toBe('jira-warden ${{ inputs.command }} ${{ inputs.fingerprint }} ${{ inputs.comment }}')
  })

  test("docs/rotation.md's workflow declares that run-name and the inputs the app dispatches", () => {
    const text = readFileSync(new URL('../../docs/rotation.md', import.meta.url), 'utf8')
    const workflows = [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((match) => parse(match[1] ?? '') as { 'run-name'?: string; on?: { workflow_dispatch?: { inputs?: Record<string, unknown> } } })
    const full = workflows.filter((workflow) => workflow?.on?.workflow_dispatch)
    expect(full.length).toBeGreaterThan(0)
    for (const workflow of full) {
      expect(workflow['run-name']).toBe(ROTATION_RUN_NAME)
      expect(Object.keys(workflow.on?.workflow_dispatch?.inputs ?? {})).toEqual(expect.arrayContaining(['command', 'fingerprint', 'comment']))
    }
  })
})

describe('SeenDeliveries', () => {
  test('a key is new once, and memory stays bounded', () => {
    const seen = new SeenDeliveries(3)
    expect(seen.firstTime('a')).toBe(true)
    expect(seen.firstTime('a')).toBe(false)
    for (const key of ['b', 'c', 'd']) seen.firstTime(key)
    // 'a' was the oldest and has been forgotten; the GitHub reaction claim still stops a second run.
    expect(seen.firstTime('a')).toBe(true)
    expect(seen.firstTime('d')).toBe(false)
  })
})

describe('DeliveryOutcomes', () => {
  test('an outcome is read once; the oldest are dropped past capacity', () => {
    const outcomes = new DeliveryOutcomes(2)
    outcomes.note('1', 'one')
    outcomes.note('2', 'two')
    outcomes.note('3', 'three')
    expect(outcomes.take('1')).toBeUndefined()
    expect(outcomes.take('3')).toBe('three')
    expect(outcomes.take('3')).toBeUndefined()
  })
})

describe('WorkQueue', () => {
  /** Work that ends when the test says, and records that it ran. */
  function heldWork(ran: string[], name: string) {
    let finish: () => void = () => {}
    const finished = new Promise<void>((resolve) => {
      finish = resolve
    })
    return { work: async () => { ran.push(name); await finished }, finish }
  }

  test('runs at most `concurrency` pieces at once, the rest in order, and settles each delivery when its work ends', async () => {
    const ran: string[] = []
    const queue = new WorkQueue({ concurrency: 1 })
    const first = heldWork(ran, 'first')
    const second = heldWork(ran, 'second')
    queue.enqueue('d-1', first.work)
    queue.enqueue('d-2', second.work)
    expect(queue.pending).toBe(2)
    await new Promise((resolve) => setImmediate(resolve))
    expect(ran).toEqual(['first'])
    const settled = queue.whenSettled('d-1')
    first.finish()
    await settled
    await new Promise((resolve) => setImmediate(resolve))
    expect(ran).toEqual(['first', 'second'])
    second.finish()
    await queue.whenSettled('d-2')
    expect(queue.pending).toBe(0)
    expect(queue.whenSettled('d-2')).toBeUndefined()
  })

  test('a failure goes to onFailure with its delivery and the queue carries on', async () => {
    const failures: Array<[string, string]> = []
    const queue = new WorkQueue({ onFailure: (delivery, error) => failures.push([delivery, (error as Error).message]) })
    queue.enqueue('d-bad', async () => {
      throw new Error('boom')
    })
    await queue.whenSettled('d-bad')
    const ran: string[] = []
    queue.enqueue('d-good', async () => {
      ran.push('good')
    })
    await queue.whenSettled('d-good')
    expect(failures).toEqual([['d-bad', 'boom']])
    expect(ran).toEqual(['good'])
  })

  test('refuses work beyond its capacity, and all work once draining; the drain waits for what it took, bounded', async () => {
    const ran: string[] = []
    const queue = new WorkQueue({ concurrency: 1, capacity: 1 })
    const running = heldWork(ran, 'running')
    queue.enqueue('d-1', running.work)
    await new Promise((resolve) => setImmediate(resolve))
    queue.enqueue('d-2', async () => {
      ran.push('waiting')
    })
    expect(() => queue.enqueue('d-3', async () => {})).toThrow(WorkQueueRefused)
    expect(await queue.drain(20)).toEqual({ drained: false, unfinished: 2 })
    expect(() => queue.enqueue('d-4', async () => {})).toThrow(/shutting down/)
    const drained = queue.drain(10_000)
    running.finish()
    expect(await drained).toEqual({ drained: true, unfinished: 0 })
    expect(ran).toEqual(['running', 'waiting'])
  })
})
