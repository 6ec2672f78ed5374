/** The inputs laid over the repository's config file: what this run will actually use. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseConfig, parseTransitionRules, type TransitionRule, type WardenConfig } from '../core/config.ts'
import { ConfigurationError } from '../core/errors.ts'
import type { ActionSettings, KeySource } from './action-settings.ts'

export interface EffectiveConfig {
  jiraUrl: string
  projects: string[] | undefined
  keySources: KeySource[]
  maxKeys: number
  rules: TransitionRule[]
  comment: string | undefined
}

const DEFAULT_KEY_SOURCES: KeySource[] = ['title', 'branch', 'commits']
const DEFAULT_MAX_KEYS = 100

export function effectiveConfig(settings: ActionSettings, workspace: string): EffectiveConfig {
  const file = readConfigFile(resolve(workspace, settings.configPath), settings.configPath)
  const rules = settings.inlineTransitions
    ? parseTransitionRules(settings.inlineTransitions, 'the transitions input')
    : (file?.transitions ?? [])
  if (rules.length === 0) {
    throw new ConfigurationError(
      `No transition rules: add a transitions: list to ${settings.configPath} or give the transitions input (see the README, "Configuration").`,
    )
  }
  const jiraUrl = settings.jiraUrl ?? file?.jira?.url
  if (!jiraUrl) {
    throw new ConfigurationError(`No Jira URL: give the jira-url input or set jira.url in ${settings.configPath}.`)
  }
  return {
    jiraUrl,
    projects: settings.projects ?? file?.projects,
    keySources: settings.keySources ?? (file?.keys?.from as KeySource[] | undefined) ?? DEFAULT_KEY_SOURCES,
    maxKeys: file?.keys?.max ?? DEFAULT_MAX_KEYS,
    rules,
    comment: settings.comment ?? file?.comment,
  }
}

function readConfigFile(path: string, shownAs: string): WardenConfig | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  return parseConfig(text, shownAs)
}
