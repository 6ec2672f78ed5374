/** The inputs laid over the repository's config file: what this run will actually use. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseConfig, parseTransitionRules, type KeySourceName, type TransitionRule, type WardenConfig } from '../core/config.ts'
import { ConfigurationError } from '../core/errors.ts'
import type { ActionSettings } from './action-settings.ts'

export interface EffectiveConfig {
  jiraUrl: string
  projects: string[] | undefined
  keySources: KeySourceName[]
  maxKeys: number
  rules: TransitionRule[]
  comment: string | undefined
  /** Whether credential.used goes to the audit issue (else the job summary only). */
  auditIssue: boolean
}

export function effectiveConfig(settings: ActionSettings, workspace: string): EffectiveConfig {
  const file = readConfigFile(resolve(workspace, settings.configPath), settings.configPath)
  const rules = settings.inlineTransitions
    ? parseTransitionRules(settings.inlineTransitions, 'the transitions input')
    : (file.transitions ?? [])
  if (rules.length === 0) {
    throw new ConfigurationError(
      `No transition rules: add a transitions: list to ${settings.configPath} or give the transitions input (see the README, "Configuration").`,
    )
  }
  const jiraUrl = settings.jiraUrl ?? file.jira?.url
  if (!jiraUrl) {
    throw new ConfigurationError(`No Jira URL: give the jira-url input or set jira.url in ${settings.configPath}.`)
  }
  return {
    jiraUrl,
    projects: settings.projects ?? file.projects,
    keySources: settings.keySources ?? file.keys.from,
    maxKeys: file.keys.max,
    rules,
    comment: settings.comment ?? file.comment,
    auditIssue: file.audit.issue,
  }
}

/** A missing file is an empty config: every section has its default. */
function readConfigFile(path: string, shownAs: string): WardenConfig {
  let text = ''
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigurationError(`Cannot read ${shownAs}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}. Check the config input and the checkout step.`)
    }
  }
  return parseConfig(text, shownAs)
}
