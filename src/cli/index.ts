#!/usr/bin/env node
/**
 * jira-warden doctor | plan --event FILE
 * The credential comes from the environment, never from an argument (shell history keeps arguments).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { parseConfig, type WardenConfig } from '../core/config.ts'
import { ConfigurationError, isWardenError } from '../core/errors.ts'
import { PROXY_UNSUPPORTED, useProxyFromEnvironment } from '../adapters/http/use-proxy-from-environment.ts'
import { connectJira } from '../adapters/jira/connect-jira.ts'
import { parseJiraUrl } from '../adapters/jira/jira-url.ts'
import type { JiraAuth } from '../adapters/jira/jira-auth.ts'
import type { JiraPort } from '../ports/jira.ts'
import { runDoctor } from './doctor.ts'
import { runPlan } from './plan.ts'

const USAGE = `Usage:
  jira-warden doctor [--config .github/jira-warden.yml] [--project KEY ...]
  jira-warden plan --event FILE [--event-name NAME] [--config .github/jira-warden.yml]

Credentials come from the environment: JIRA_URL (or jira.url in the config) and one of
JIRA_EMAIL + JIRA_API_TOKEN (Cloud), JIRA_PAT (Data Center), JIRA_CLIENT_ID + JIRA_CLIENT_SECRET (service account).`

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', default: '.github/jira-warden.yml' },
      event: { type: 'string' },
      'event-name': { type: 'string' },
      project: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals[0]
  if (values.help || !command) {
    console.log(USAGE)
    return command || values.help ? 0 : 2
  }
  const config = readConfig(values.config)
  if (command === 'doctor') {
    return runDoctor(await connect(config), config, values.project, console.log)
  }
  if (command === 'plan') {
    if (!values.event) throw new ConfigurationError('plan needs --event FILE: the webhook payload of the event to plan.')
    const payload = readEvent(values.event)
    const jira = hasCredential() ? await connect(config) : undefined
    return runPlan({ payload, eventName: values['event-name'], config, jira, print: console.log })
  }
  throw new ConfigurationError(`Unknown command '${command}'.\n${USAGE}`)
}

function readConfig(path: string): WardenConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new ConfigurationError(`Cannot read the config file ${path}. Give its path with --config.`)
  }
  return parseConfig(text, path)
}

function readEvent(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new ConfigurationError(`Cannot read ${path} as JSON: give the webhook payload of the event (e.g. the file at $GITHUB_EVENT_PATH).`)
  }
}

function hasCredential(env = process.env): boolean {
  return Boolean(env.JIRA_API_TOKEN || env.JIRA_PAT || env.JIRA_CLIENT_SECRET)
}

async function connect(config: WardenConfig, env = process.env): Promise<JiraPort> {
  const url = env.JIRA_URL ?? config.jira?.url
  if (!url) throw new ConfigurationError('No Jira URL: set JIRA_URL or jira.url in the config.')
  return connectJira({ url: parseJiraUrl(url), auth: authFromEnvironment(env) })
}

function authFromEnvironment(env: NodeJS.ProcessEnv): JiraAuth {
  if (env.JIRA_API_TOKEN) {
    if (!env.JIRA_EMAIL) throw new ConfigurationError('JIRA_API_TOKEN needs JIRA_EMAIL.')
    return { kind: 'api-token', email: env.JIRA_EMAIL, apiToken: env.JIRA_API_TOKEN }
  }
  if (env.JIRA_PAT) return { kind: 'pat', token: env.JIRA_PAT }
  if (env.JIRA_CLIENT_SECRET && env.JIRA_CLIENT_ID) {
    return { kind: 'oauth-client', clientId: env.JIRA_CLIENT_ID, clientSecret: env.JIRA_CLIENT_SECRET }
  }
  throw new ConfigurationError('No Jira credential in the environment: set JIRA_EMAIL + JIRA_API_TOKEN, JIRA_PAT, or JIRA_CLIENT_ID + JIRA_CLIENT_SECRET.')
}

if (useProxyFromEnvironment() === 'unsupported') console.error(PROXY_UNSUPPORTED)
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(isWardenError(error) ? error.message : `jira-warden failed unexpectedly (${(error as Error).name ?? 'error'}).`)
    process.exit(1)
  },
)
