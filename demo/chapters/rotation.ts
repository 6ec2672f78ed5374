/**
 * The demo's rotation chapter: a Data Center PAT rotated by the built rotate
 * action (dist/rotate/index.js), run as the Actions runner would: mint,
 * test, set, a short grace period, finish; then the audit trail.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseAuditComment } from '../../src/core/audit-entry.ts'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import { runAction, type ActionRun } from '../../sandbox/actions-runner.ts'
import type { GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'

const ROTATE_ENTRY = fileURLToPath(new URL('../../dist/rotate/index.js', import.meta.url))
const SECRET = 'JIRA_PAT'
const GRACE_SECONDS = 3

export interface RotationChapterWorld {
  jira: JiraSandbox
  github: GitHubSandbox
  repository: string
}

export async function runRotationChapter(world: RotationChapterWorld, say: (line: string) => void): Promise<void> {
  if (!existsSync(ROTATE_ENTRY)) throw new Error(`${ROTATE_ENTRY} is missing: run npm run build first.`)
  // Personal access tokens are a Data Center feature: a Cloud story gets a Data Center Jira of its own for this chapter.
  const jira = world.jira.personality === 'data-center' ? world.jira : await startJiraSandbox({ personality: 'data-center', latencyMs: 5 })
  try {
    await rotateOnce({ ...world, jira }, say)
  } finally {
    if (jira !== world.jira) await jira.close()
  }
}

async function rotateOnce({ jira, github, repository }: RotationChapterWorld, say: (line: string) => void): Promise<void> {
  const owner = jira.user('demo')
  const original = jira.issuePat(owner, { name: 'installed by hand', expiresAt: new Date(Date.now() + 5 * 86_400_000) }).token
  github.setSecret({ repo: repository }, SECRET, original)
  const token = github.issueToken({
    repositories: [repository],
    kind: 'installation',
    permissions: { secrets: 'write', actions_variables: 'write', contents: 'write', issues: 'write', metadata: 'read' },
  })
  say('')
  say(`Credential rotation (Data Center PAT, Jira at ${jira.url}), each run through dist/rotate/index.js:`)
  say(`  the secret ${SECRET} holds ${fingerprintOf(original)}, which expires in 5 days: due`)

  const rotate = (command: string) =>
    runAction({
      entry: ROTATE_ENTRY,
      eventName: 'schedule',
      payload: {},
      githubApiUrl: github.url,
      repository,
      inputs: {
        'github-token': token,
        'jira-url': jira.url,
        provider: 'dc-pat',
        'current-credential': github.secretValue({ repo: repository }, SECRET) ?? '',
        'secret-name': SECRET,
        'secret-scope': 'repo',
        'expiration-days': '90',
        grace: `${GRACE_SECONDS}s`,
        command,
      },
    })

  const first = await rotate('auto')
  tellSteps(first, say)
  const stored = github.secretValue({ repo: repository }, SECRET) ?? ''
  say(`  the secret now decrypts to ${fingerprintOf(stored)}: Jira says ${jira.credentialState(stored)}; the old ${fingerprintOf(original)} is still ${jira.credentialState(original)} (grace ${GRACE_SECONDS}s)`)

  await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 0.5) * 1000))
  const second = await rotate('auto')
  tellSteps(second, say)
  say(`  after the grace: ${fingerprintOf(original)} is ${jira.credentialState(original)}, ${fingerprintOf(stored)} is ${jira.credentialState(stored)}`)
  const state = github.variable({ repo: repository }, 'JIRA_WARDEN_STATE')?.value ?? ''
  say(`  JIRA_WARDEN_STATE (${state.length} characters, no value in it): ${state.includes(stored) || state.includes(original) ? 'HOLDS A SECRET' : 'fingerprints, ids and times only'}`)

  say('The audit trail (issue labelled jira-warden:audit):')
  for (const issue of github.issues(repository).filter((candidate) => candidate.labels.includes('jira-warden:audit'))) {
    for (const comment of issue.comments) {
      const entry = parseAuditComment(comment.body)
      if (entry?.event.startsWith('rotation.') || entry?.event === 'credential.revoked') say(`  ${entry.time} ${entry.event.padEnd(19)} ${entry.fingerprint ?? ''}  ${entry.outcome}`)
    }
  }
}

function tellSteps(run: ActionRun, say: (line: string) => void): void {
  const steps = run.stdout
    .split('\n')
    .map((line) => /^step \d+ done: (\w[\w-]*) → ([\w-]+)/.exec(line))
    .filter((match) => match !== null)
    .map((match) => match[1])
    .filter((effect) => effect !== 'save')
  say(`  run (exit ${run.exitCode}, rotated=${run.outputs.rotated}): ${steps.join(' → ') || 'nothing to do'}`)
}
