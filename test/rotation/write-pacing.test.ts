// The rotation client paces content-creating requests (write-interval): spaced by the interval from the client's
// creation on, reads never held back, and jobs sharing an installation paced by the documented rule meet no secondary limit.
import { afterEach, describe, expect, test } from 'vitest'
import { repositoryVariable } from '../../src/adapters/github/repository-variable.ts'
import { createRotationGitHubClient } from '../../src/adapters/github/rotation-github-client.ts'
import { writeIntervalOf } from '../../src/rotate/rotate-settings.ts'
import { startGitHubSandbox, type GitHubSandbox, type RequestLogEntry } from '../../sandbox/github/github-sandbox.ts'

const repository = { owner: 'acme', repo: 'shop' }
const CONTENT_CREATING = ['POST', 'PATCH', 'PUT', 'DELETE']
/** Arrival times may differ from send times by a few milliseconds of scheduling. */
const JITTER_MS = 25

let github: GitHubSandbox | undefined
afterEach(async () => {
  await github?.close()
  github = undefined
})

async function sandbox(options: Parameters<typeof startGitHubSandbox>[0] = {}): Promise<{ github: GitHubSandbox; token: string }> {
  github = await startGitHubSandbox(options)
  github.addRepository('acme/shop')
  const token = github.issueToken({ repositories: ['acme/shop'], kind: 'installation', installationId: 77, permissions: { actions_variables: 'write', metadata: 'read' } })
  return { github, token }
}

const writesIn = (log: readonly RequestLogEntry[]) => log.filter((entry) => CONTENT_CREATING.includes(entry.method))
const gaps = (entries: readonly RequestLogEntry[]) => entries.slice(1).map((entry, index) => entry.at - (entries[index]?.at ?? 0))

describe('write pacing', () => {
  test('content-creating requests are spaced by the interval, the first one interval after the client exists; reads are not held back', async () => {
    const { github, token } = await sandbox()
    const created = Date.now()
    const client = createRotationGitHubClient(token, github.url, { writeIntervalMs: 300, retryBaseMs: 1 })
    const note = repositoryVariable(client, repository, 'PACED')
    expect(await note.read()).toBeUndefined()
    for (const value of ['one', 'two', 'three']) await note.write(value)
    await note.read()

    const reads = github.log.filter((entry) => entry.method === 'GET')
    expect(reads[0]!.at - created).toBeLessThan(300 - JITTER_MS)
    const writes = writesIn(github.log)
    expect(writes.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['POST 201', 'PATCH 204', 'PATCH 204'])
    expect(writes[0]!.at - created).toBeGreaterThanOrEqual(300 - JITTER_MS)
    for (const gap of gaps(writes)) expect(gap).toBeGreaterThanOrEqual(300 - JITTER_MS)
    expect(github.log.at(-1)!.at - writes.at(-1)!.at).toBeLessThan(300 - JITTER_MS)
  })

  test('a write of the text the variable already holds sends nothing', async () => {
    const { github, token } = await sandbox()
    const note = repositoryVariable(createRotationGitHubClient(token, github.url, { writeIntervalMs: 0, retryBaseMs: 1 }), repository, 'SAME')
    await note.read()
    await note.write('{"phase":"intent"}')
    await note.write('{"phase":"intent"}')
    await note.write('{"phase":"test"}')
    expect(writesIn(github.log).map((entry) => `${entry.method} ${entry.status}`)).toEqual(['POST 201', 'PATCH 204'])
    expect(github.variable({ repo: 'acme/shop' }, 'SAME')?.value).toBe('{"phase":"test"}')
  })

  // The sandbox's clock runs 60× faster: a GitHub minute passes in a real second. The limit: 6 writes a rolling minute per installation.
  const PER_MINUTE = 6
  const SCALE = 60
  const JOBS = 2
  const WRITES_PER_JOB = 5
  async function twoJobs(writeIntervalMs: number): Promise<GitHubSandbox> {
    const started = Date.now()
    const { github, token } = await sandbox({ now: () => new Date(started + (Date.now() - started) * SCALE) })
    github.setSecondaryRateLimit({ perMinute: PER_MINUTE, retryAfterSeconds: 1 })
    const job = async (index: number) => {
      const note = repositoryVariable(createRotationGitHubClient(token, github.url, { writeIntervalMs, retryBaseMs: 1 }), repository, `JOB_${index}`)
      await note.read()
      for (let write = 0; write < WRITES_PER_JOB; write += 1) await note.write(`write ${write}`)
    }
    await Promise.all(Array.from({ length: JOBS }, (_, index) => job(index)))
    for (let index = 0; index < JOBS; index += 1) expect(github.variable({ repo: 'acme/shop' }, `JOB_${index}`)?.value).toBe(`write ${WRITES_PER_JOB - 1}`)
    return github
  }

  test('jobs sharing an installation, paced at 60 s ÷ floor(limit ÷ jobs) of GitHub time (with a margin), meet no secondary limit; unpaced, they do', async () => {
    // floor(6 / 2) = 3 writes a GitHub minute per job: 20 s of GitHub time apart; 24 s for margin, 400 ms of real time.
    const paced = await twoJobs((24_000 / SCALE))
    expect(writesIn(paced.log)).toHaveLength(JOBS * WRITES_PER_JOB)
    expect(paced.secondaryRateLimitHits()).toBe(0)
    await paced.close()
    github = undefined
    const unpaced = await twoJobs(0)
    expect(unpaced.secondaryRateLimitHits()).toBeGreaterThan(0)
  }, 30_000)
})

describe('the write-interval input', () => {
  test.each([
    ['1s', 1_000],
    ['7.2s', 7_200],
    ['57.6', 57_600],
    ['250ms', 250],
    ['1m', 60_000],
    ['0', 0],
  ])('%s is %d ms', (text, milliseconds) => {
    expect(writeIntervalOf(text)).toBe(milliseconds)
  })

  test.each(['fast', '-1s', '2h', '0.1ms', '1 s s'])('%s is refused with the forms it takes', (text) => {
    expect(() => writeIntervalOf(text)).toThrow(/write-interval: .* is not an interval\. Give seconds \(e\.g\. 1s, 7\.5s, 60s\)/)
  })

  test('absent: the host decides (1 s against GitHub, none against a loopback sandbox)', () => {
    expect(writeIntervalOf(undefined)).toBeUndefined()
  })
})
