// Cloud's search index lags behind writes: a re-run right after a run reads stale statuses and must still move nothing twice.
import { afterEach, expect, it } from 'vitest'
import { pullRequestPayload } from '../../sandbox/webhook-examples.ts'
import { REPOSITORY, keysOf, outputList, startActionWorld, type ActionWorld } from '../support/action-world.ts'

const OPENED = pullRequestPayload('opened', { repository: REPOSITORY, number: 7, title: 'PROJ-1 OPS-2', head: 'feature/x', commits: 0 })
const RULES = 'transitions: [{ on: pull_request.opened, to: In Progress }]\nkeys: { from: [title] }\ncomment: "started"'

let world: ActionWorld
afterEach(() => world.close())

it('a re-run that reads a stale search re-reads each refused issue and skips it: no second transition, no second comment', async () => {
  world = await startActionWorld({ personality: 'cloud', searchLagMs: 60_000 })
  const first = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES })
  expect(keysOf(first, 'transitioned')).toEqual(['PROJ-1', 'OPS-2'])

  const rerun = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES })
  expect(rerun.exitCode).toBe(0)
  expect(keysOf(rerun, 'transitioned')).toEqual([])
  expect(outputList(rerun, 'skipped').map((item) => [item.key, item.reason])).toEqual([
    ['PROJ-1', "already in 'In Progress'"],
    ['OPS-2', "already in 'In Progress'"],
  ])
  expect(['PROJ-1', 'OPS-2'].map((key) => world.jira.issue(key).comments.length)).toEqual([1, 1])
  const proj1 = world.jira.log.filter((entry) => entry.path.includes('/issue/PROJ-1')).map((entry) => `${entry.method} ${entry.status}`)
  expect(proj1).toEqual(['POST 204', 'POST 400', 'GET 200'])
})
