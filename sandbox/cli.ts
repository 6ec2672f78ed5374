/**
 * `npm run sandbox`: the Jira sandbox (and the GitHub one) on loopback until
 * Ctrl-C, with demo credentials printed, for trying the action or the CLI by
 * hand. `--github-env FILE` also appends JIRA_SANDBOX_* lines to FILE, as a
 * workflow step does with $GITHUB_ENV.
 */
import { appendFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startGitHubSandbox } from './github/github-sandbox.ts'
import { startJiraSandbox } from './jira/jira-sandbox.ts'

const USAGE = `Usage: npm run sandbox -- [--personality cloud|data-center] [--latency MS] [--github-env FILE]`

const { values } = parseArgs({
  options: {
    personality: { type: 'string', default: 'cloud' },
    latency: { type: 'string', default: '0' },
    'github-env': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const personality = values.personality
if (personality !== 'cloud' && personality !== 'data-center') {
  process.stderr.write(`--personality is cloud or data-center, not '${personality}'.\n${USAGE}\n`)
  process.exit(2)
}
const latencyMs = Number(values.latency)
if (!Number.isInteger(latencyMs) || latencyMs < 0) {
  process.stderr.write(`--latency is a whole number of milliseconds, not '${values.latency}'.\n${USAGE}\n`)
  process.exit(2)
}

const jira = await startJiraSandbox({ personality, latencyMs })
const github = await startGitHubSandbox({ latencyMs })
const demoUser = jira.user('demo')
const credential =
  personality === 'cloud'
    ? { JIRA_SANDBOX_EMAIL: demoUser.email, JIRA_SANDBOX_TOKEN: jira.issueApiToken(demoUser) }
    : { JIRA_SANDBOX_TOKEN: jira.issuePat(demoUser, { name: 'sandbox' }).token }
const environment = { JIRA_SANDBOX_URL: jira.url, ...credential, GITHUB_SANDBOX_URL: github.url }

process.stdout.write(
  [
    `Jira sandbox (${personality}) at ${jira.url}${personality === 'cloud' ? `; scoped-token gateway ${jira.gatewayUrl}` : ''}`,
    `GitHub sandbox at ${github.url}`,
    `Projects PROJ and OPS, 60 issues each in To Do; user 'demo' may browse, transition and comment.`,
    personality === 'cloud'
      ? `Demo credential (made for this run): jira-email ${demoUser.email}, jira-api-token in JIRA_SANDBOX_TOKEN`
      : 'Demo credential (made for this run): jira-pat in JIRA_SANDBOX_TOKEN',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'),
)
if (values['github-env']) {
  appendFileSync(values['github-env'], Object.entries(environment).map(([name, value]) => `${name}=${value}\n`).join(''))
} else {
  process.stdout.write(`${Object.entries(environment).map(([name, value]) => `export ${name}=${value}`).join('\n')}\n`)
}

const stop = async (): Promise<void> => {
  await Promise.all([jira.close(), github.close()])
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())
