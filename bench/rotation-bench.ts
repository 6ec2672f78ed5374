/**
 * The rotate action (dist/rotate/index.js) as the runner runs it, on a
 * Data Center Jira (dc-pat: fully automatic) and the GitHub sandbox, with
 * latency on both:
 * - one repository end to end: requests to Jira and GitHub, wall time;
 * - an organization of 200 repositories, each with its own secret, rotated
 *   as a matrix of jobs sharing one GitHub App installation, under GitHub's
 *   documented secondary limit on content-creating requests (80 a minute,
 *   500 an hour, per installation);
 * - the same organization with one organization secret shared by the
 *   selected repositories: one rotation.
 * The organization runs on a GitHub clock that runs `clockScale` times
 * faster than the real one (a minute of limit window passes in 1/scale of a
 * minute), so hours of limit windows fit in the bench. So that the jobs keep
 * GitHub's pace too, each request there costs 1000/scale ms: one second of
 * GitHub time, the pace the action keeps against GitHub, where it waits 1 s
 * between content-creating requests (against loopback it does not:
 * src/rotate/connect-rotation.ts). A refused request is retried after the
 * retry-after the sandbox sends, pinned to 1 s of real time (scale seconds
 * of GitHub time): the count of hits depends on it, whether there are any
 * does not.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runAction, type ActionRun } from '../sandbox/actions-runner.ts'
import { startGitHubSandbox, type GitHubSandbox, type RequestLogEntry } from '../sandbox/github/github-sandbox.ts'
import { startJiraSandbox, type JiraSandbox } from '../sandbox/jira/jira-sandbox.ts'
import { ALL_PROJECT_PERMISSIONS } from '../sandbox/jira/jira-seed.ts'
import { informative, judged, median, ms, notMeasured, type BenchRow } from './bench-row.ts'

export const ROTATE_ENTRY = fileURLToPath(new URL('../dist/rotate/index.js', import.meta.url))
const VITALS_PRELOAD = fileURLToPath(new URL('./process-vitals-preload.js', import.meta.url))
const ORG = 'acme'
const INSTALLATION_ID = 4242
const SECRET = 'JIRA_PAT'
const CONTENT_CREATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
/** GitHub's documented secondary limits on content-creating requests. */
export const SECONDARY_PER_MINUTE = 80
export const SECONDARY_PER_HOUR = 500

export interface RotationOptions {
  latencyMs: number
  repositories: number
  /** Jobs of the matrix running at once. */
  parallelJobs: number
  clockScale: number
  singleRepetitions: number
  /** Repositories of the run where every job's PAT belongs to one Jira user. */
  sharedUserRepositories: number
}

export interface RotationRun {
  wallMs: number
  jiraRequests: number
  githubRequests: number
  contentCreating: number
  limitHits: number
}

export interface OrganizationRun {
  /** Whether every repository's PAT belongs to the same Jira user (else one service account each). */
  sharedJiraUser: boolean
  /** The write-interval input, in seconds of GitHub time, when one was given. */
  writeIntervalS: number | undefined
  repositories: number
  parallelJobs: number
  clockScale: number
  wallMs: number
  githubRequests: number
  contentCreating: number
  limitHits: number
  failedJobs: number
  /** Of the failed jobs, those that refused because their PAT could not be told apart from the user's others. */
  unidentified: number
  /** Repositories whose stored secret Jira no longer accepts once every job has finished: the one outcome a rotation must never leave. */
  brokenSecrets: number
}

export interface RotationMeasurement {
  single: RotationRun[]
  organization: OrganizationRun | undefined
  /** The same organization, each job pacing its writes as docs/rotation.md advises for its number of jobs. */
  paced: OrganizationRun | undefined
  /** PATs of one Jira user, 8 jobs at once. */
  sharedUser: OrganizationRun | undefined
  /** PATs of one Jira user, one job at a time: what is left without any concurrency. */
  sharedUserInTurn: OrganizationRun | undefined
  organizationSecret: OrganizationRun
}

export interface RotationSection {
  rows: BenchRow[]
  measurement: unknown
}

interface World {
  jira: JiraSandbox
  github: GitHubSandbox
  token: string
  close(): Promise<void>
}

const repositoryName = (index: number) => `${ORG}/service-${String(index + 1).padStart(3, '0')}`

async function startWorld(latencyMs: number, repositories: number, clockScale: number): Promise<World> {
  const jira = await startJiraSandbox({ personality: 'data-center', latencyMs })
  const started = Date.now()
  const github = await startGitHubSandbox({ latencyMs, ...(clockScale !== 1 ? { now: () => new Date(started + (Date.now() - started) * clockScale) } : {}) })
  for (let index = 0; index < repositories; index += 1) github.addRepository(repositoryName(index), { private: true })
  // One installation of the app on the organization: every job's token counts against the same limits.
  const token = github.issueToken({
    repositories: ['*'],
    account: ORG,
    kind: 'installation',
    installationId: INSTALLATION_ID,
    expiresInSeconds: 24 * 3600 * clockScale,
    permissions: { secrets: 'write', actions_variables: 'write', contents: 'write', issues: 'write', organization_secrets: 'write', metadata: 'read' },
  })
  return { jira, github, token, close: async () => void (await Promise.all([jira.close(), github.close()])) }
}

function configFor(jiraUrl: string, scope: 'repo' | 'org'): string {
  return [`jira:`, `  url: ${jiraUrl}`, `projects: [PROJ, OPS]`, `transitions:`, `  - on: pull_request.opened`, `    to: In Progress`, `rotation:`, `  provider: dc-pat`, `  secret: ${SECRET}`, `  scope: ${scope}`, `  period: 30d`].join('\n')
}

/** One rotation of one repository's (or the organization's) secret; throws unless Jira accepts what is stored afterwards. */
async function rotate(world: World, repository: string, scope: 'repo' | 'org', writeInterval?: string): Promise<ActionRun> {
  const secretScope = scope === 'org' ? { org: ORG } : { repo: repository }
  const current = world.github.secretValue(secretScope, SECRET) ?? ''
  const run = await runAction({
    entry: ROTATE_ENTRY,
    eventName: 'workflow_dispatch',
    payload: {},
    githubApiUrl: world.github.url,
    repository,
    workspaceFiles: { '.github/jira-warden.yml': configFor(world.jira.url, scope) },
    inputs: { 'github-token': world.token, 'current-credential': current, command: 'rotate', 'secret-scope': scope, ...(writeInterval ? { 'write-interval': writeInterval } : {}) },
    preload: [VITALS_PRELOAD],
  })
  const stored = world.github.secretValue(secretScope, SECRET)
  if (run.exitCode !== 0 || !stored || stored === current || world.jira.credentialState(stored) !== 'live') {
    throw new Error(`the rotation of ${repository} did not store a new live credential (exit ${run.exitCode}):\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-1500)}`)
  }
  return run
}

/** The repository's own PAT: of its own service account, or of the one user all share. */
function seedRepositorySecret(world: World, repository: string, sharedJiraUser: boolean): void {
  const owner = sharedJiraUser
    ? world.jira.user('demo')
    : world.jira.addUser({ name: `svc-${repository.split('/')[1]}`, projects: { PROJ: [...ALL_PROJECT_PERMISSIONS], OPS: [...ALL_PROJECT_PERMISSIONS] } })
  world.github.setSecret({ repo: repository }, SECRET, world.jira.issuePat(owner, { name: `ci ${repository}` }).token)
}

const contentCreating = (log: readonly RequestLogEntry[]) => log.filter((entry) => CONTENT_CREATING.has(entry.method)).length
const hitsIn = (log: readonly RequestLogEntry[]) => log.filter((entry) => entry.status === 403 && /secondary rate limit/i.test(JSON.stringify(entry.responseBody ?? ''))).length

async function measureSingle(options: RotationOptions): Promise<RotationRun> {
  const world = await startWorld(options.latencyMs, 1, 1)
  try {
    const repository = repositoryName(0)
    seedRepositorySecret(world, repository, true)
    const started = performance.now()
    await rotate(world, repository, 'repo')
    const wallMs = performance.now() - started
    return { wallMs, jiraRequests: world.jira.log.length, githubRequests: world.github.log.length, contentCreating: contentCreating(world.github.log), limitHits: hitsIn(world.github.log) }
  } finally {
    await world.close()
  }
}

/**
 * `writeIntervalS`: the rotate action's write-interval input in seconds of
 * GitHub time (passed scaled to the real clock); without it each request
 * costs a second of GitHub time, the action's default pace.
 */
async function measureOrganization(options: RotationOptions, scope: 'repo' | 'org', sharedJiraUser: boolean, count: number, progress: (line: string) => void, writeIntervalS?: number): Promise<OrganizationRun> {
  // One organization secret is one rotation: no limit window comes into play, so it runs at the bench's latency on the real clock.
  const clockScale = scope === 'org' ? 1 : options.clockScale
  const world = await startWorld(scope === 'org' ? options.latencyMs : Math.max(1, Math.round(1000 / clockScale)), count, clockScale)
  try {
    const repositories = Array.from({ length: count }, (_, index) => repositoryName(index))
    if (scope === 'org') {
      const pat = world.jira.issuePat(world.jira.user('demo'), { name: 'ci organization' }).token
      world.github.setSecret({ org: ORG }, SECRET, pat, { visibility: 'selected', selectedRepositories: repositories })
    } else {
      for (const repository of repositories) seedRepositorySecret(world, repository, sharedJiraUser)
    }
    world.github.setSecondaryRateLimit({ perMinute: SECONDARY_PER_MINUTE, perHour: SECONDARY_PER_HOUR, retryAfterSeconds: 1 })
    const jobs = scope === 'org' ? [repositories[0] as string] : repositories
    let next = 0
    let failedJobs = 0
    let unidentified = 0
    let finished = 0
    const started = performance.now()
    const worker = async () => {
      while (next < jobs.length) {
        const repository = jobs[next++] as string
        await rotate(world, repository, scope, writeIntervalS === undefined ? undefined : `${Math.round((writeIntervalS * 1000) / clockScale)}ms`).catch((error: unknown) => {
          failedJobs += 1
          const isUnidentified = /could not be identified in Jira/.test((error as Error).message)
          if (isUnidentified) unidentified += 1
          // The first failure of each kind in full.
          const first = isUnidentified ? unidentified === 1 : failedJobs - unidentified === 1
          if (first) progress(`rotation: ${repository} failed: ${(error as Error).message.split('\n').filter((line) => line.startsWith('::error')).join(' ') || (error as Error).message.slice(0, 500)}`)
        })
        finished += 1
        if (finished % 50 === 0) progress(`rotation: ${finished} of ${jobs.length} repositories`)
      }
    }
    await Promise.all(Array.from({ length: Math.min(options.parallelJobs, jobs.length) }, worker))
    const wallMs = performance.now() - started
    const stored = scope === 'org' ? [world.github.secretValue({ org: ORG }, SECRET)] : repositories.map((repository) => world.github.secretValue({ repo: repository }, SECRET))
    const brokenSecrets = stored.filter((value) => !value || world.jira.credentialState(value) !== 'live').length
    if (scope === 'org' && world.github.secret({ org: ORG }, SECRET)?.selectedRepositories?.length !== repositories.length) {
      throw new Error('the organization secret lost its selected repositories')
    }
    return {
      sharedJiraUser,
      writeIntervalS,
      repositories: count,
      parallelJobs: Math.min(options.parallelJobs, jobs.length),
      clockScale,
      wallMs,
      githubRequests: world.github.log.length,
      contentCreating: contentCreating(world.github.log),
      limitHits: hitsIn(world.github.log),
      failedJobs,
      unidentified,
      brokenSecrets,
    }
  } finally {
    await world.close()
  }
}

export async function rotationRows(options: RotationOptions & { quick: boolean }, progress: (line: string) => void): Promise<RotationSection> {
  const notMeasuredBecause = (reason: string): RotationSection => ({
    rows: [
      notMeasured('rotation', 'one repository end to end', '—', reason),
      notMeasured('rotation', `${options.repositories} repositories, secondary limit`, '0 limit hits', reason),
      notMeasured('rotation', `${options.repositories} repositories, one organization secret`, '0 limit hits', reason),
    ],
    measurement: { measured: false, reason },
  })
  if (!existsSync(ROTATE_ENTRY)) return notMeasuredBecause('dist/rotate/index.js (the rotate action) is not built')
  try {
    return await measureRotation(options, progress)
  } catch (error) {
    const reason = `a rotation failed (${(error as Error).message.split('\n')[0]})`
    progress(`rotation: ${reason}`)
    return notMeasuredBecause(reason)
  }
}

async function measureRotation(options: RotationOptions & { quick: boolean }, progress: (line: string) => void): Promise<RotationSection> {
  const single: RotationRun[] = []
  for (let index = 0; index < options.singleRepetitions; index += 1) single.push(await measureSingle(options))
  progress(`rotation: one repository ×${single.length}`)
  const organizationSecret = await measureOrganization(options, 'org', true, options.repositories, progress)
  progress('rotation: organization secret')
  const organization = options.quick ? undefined : await measureOrganization(options, 'repo', false, options.repositories, progress)
  if (organization) progress(`rotation: ${options.repositories} repositories`)
  // docs/rotation.md: with J jobs at once, at least J × 7.2 s between writes keeps an installation under 500 an hour.
  const paced = options.quick ? undefined : await measureOrganization(options, 'repo', false, options.repositories, progress, options.parallelJobs * 7.2)
  if (paced) progress(`rotation: ${options.repositories} repositories, paced`)
  const sharedUser = options.quick ? undefined : await measureOrganization(options, 'repo', true, options.sharedUserRepositories, progress)
  if (sharedUser) progress(`rotation: ${options.sharedUserRepositories} repositories sharing one Jira user`)
  const sharedUserInTurn = options.quick ? undefined : await measureOrganization({ ...options, parallelJobs: 1 }, 'repo', true, 8, progress)
  if (sharedUserInTurn) progress('rotation: 8 repositories sharing one Jira user, one job at a time')
  const measurement: RotationMeasurement = { single, organization, paced, sharedUser, sharedUserInTurn, organizationSecret }
  return { rows: rotationFigureRows(measurement, options), measurement }
}

function rotationFigureRows(measurement: RotationMeasurement, options: RotationOptions): BenchRow[] {
  const { single, organization, paced, sharedUser, sharedUserInTurn, organizationSecret } = measurement
  const wallMs = median(single.map((run) => run.wallMs))
  const worst = (pick: (run: RotationRun) => number) => Math.max(...single.map(pick))
  const perRepository = worst((run) => run.contentCreating)
  const rows: BenchRow[] = [
    informative({
      section: 'rotation',
      measure: 'one repository end to end (dc-pat): wall time',
      value: wallMs,
      unit: 'ms',
      shown: ms(wallMs),
      note: `${worst((run) => run.jiraRequests)} Jira requests, ${worst((run) => run.githubRequests)} GitHub requests (${perRepository} content-creating), one after another: ${ms((worst((run) => run.jiraRequests) + worst((run) => run.githubRequests)) * options.latencyMs)} of round trips at ${options.latencyMs} ms; against GitHub the action waits 1 s between content-creating requests: about ${ms(wallMs + (perRepository - 1) * 1000)} there`,
    }),
  ]
  // A rolling window admits `limit` at once, then `limit` more each time the window has passed: R requests need ≥ (ceil(R / limit) − 1) windows.
  const floorHours = (requests: number) => Math.max(Math.ceil(requests / SECONDARY_PER_HOUR) - 1, (Math.ceil(requests / SECONDARY_PER_MINUTE) - 1) / 60)
  if (organization) {
    const githubHours = (organization.wallMs * organization.clockScale) / 3_600_000
    rows.push(
      judged(
        {
          section: 'rotation',
          measure: `${organization.repositories} repositories, a secret and a Jira service account each, ${organization.parallelJobs} jobs at once: secondary-limit hits`,
          value: organization.limitHits,
          unit: 'count',
          shown: `${organization.limitHits} hits; ${organization.repositories - organization.failedJobs} of ${organization.repositories} rotated in ${githubHours.toFixed(1)} h of GitHub time (${(organization.wallMs / 1000).toFixed(0)} s at a ${organization.clockScale}× clock); ${organization.brokenSecrets} secrets left that Jira refuses`,
          goal: '0 hits',
          note: `${organization.contentCreating} content-creating requests (${(organization.contentCreating / organization.repositories).toFixed(1)} per repository${organization.limitHits ? ', refused retries included' : ''}); GitHub's documented limits (${SECONDARY_PER_MINUTE}/min, ${SECONDARY_PER_HOUR}/h per installation) alone need ≥ ${floorHours(organization.repositories * perRepository).toFixed(1)} h for ${organization.repositories} × ${perRepository}; each request 1 s of GitHub time, retry-after ${organization.clockScale} s of it: the count of hits depends on that, whether there are any does not`,
        },
        organization.limitHits === 0 && organization.failedJobs === 0 && organization.brokenSecrets === 0,
      ),
    )
  } else {
    rows.push(notMeasured('rotation', `${options.repositories} repositories, a secret each: secondary-limit hits`, '0 hits', 'not run in --quick (minutes of emulated limit windows)'))
  }
  if (paced) {
    rows.push(
      judged(
        {
          section: 'rotation',
          measure: `the same, write-interval ${paced.writeIntervalS?.toFixed(1)} s (${paced.parallelJobs} jobs × 7.2 s, as docs/rotation.md advises): secondary-limit hits`,
          value: paced.limitHits,
          unit: 'count',
          shown: `${paced.limitHits} hits; ${paced.repositories - paced.failedJobs} of ${paced.repositories} rotated in ${((paced.wallMs * paced.clockScale) / 3_600_000).toFixed(1)} h of GitHub time; ${paced.brokenSecrets} secrets left that Jira refuses`,
          goal: '0 hits',
          note: `${paced.contentCreating} content-creating requests (${(paced.contentCreating / paced.repositories).toFixed(1)} per repository)`,
        },
        paced.limitHits === 0 && paced.failedJobs === 0 && paced.brokenSecrets === 0,
      ),
    )
  }
  for (const shared of [sharedUserInTurn, sharedUser]) {
    if (!shared) continue
    rows.push(
      judged({
        section: 'rotation',
        measure: `${shared.repositories} repositories whose PATs share one Jira user, ${shared.parallelJobs === 1 ? 'one job at a time' : `${shared.parallelJobs} jobs at once`}: secrets left that Jira refuses`,
        value: shared.brokenSecrets,
        unit: 'count',
        goal: '0 (every stored secret still works)',
        shown: `${shared.brokenSecrets} broken; ${shared.failedJobs} of ${shared.repositories} rotations refused or incomplete (${shared.unidentified} could not tell their PAT from the user's others${shared.failedJobs > shared.unidentified ? `, ${shared.failedJobs - shared.unidentified} for other reasons` : ''})`,
        note: "broken: a rotation revokes as 'an orphan of an interrupted rotation' every jira-warden PAT of the user that its own repository's state does not know, which includes the PATs other repositories' rotations just stored (it happens one job at a time too); refused: a PAT is matched by its last use (src/adapters/providers/used-token-match.ts), and jobs using the same user at the same moment make that ambiguous",
      }, shared.brokenSecrets === 0),
    )
  }
  rows.push(
    judged(
      {
        section: 'rotation',
        measure: `${organizationSecret.repositories} repositories sharing one organization secret: secondary-limit hits`,
        value: organizationSecret.limitHits,
        unit: 'count',
        shown: `${organizationSecret.limitHits} hits; one rotation in ${ms(organizationSecret.wallMs)}`,
        goal: '0 hits',
        note: `${organizationSecret.contentCreating} content-creating requests in all; the secret keeps its ${organizationSecret.repositories} selected repositories`,
      },
      organizationSecret.limitHits === 0 && organizationSecret.failedJobs === 0,
    ),
  )
  return rows
}
