/**
 * The schema of `.github/jira-warden.yml` (shared by the action and the app)
 * and of the `transitions` input. Every section is optional; unknown keys
 * are refused. Errors name the file, line, rule and field, and the fix.
 */
import { z } from 'zod'
import { configurationError, readYaml } from './config-errors.ts'
import { durationMilliseconds, durationProblem } from './duration.ts'
import { templateProblems } from './template.ts'
import { conditionsOn, EVENT_CONDITIONS, TRIGGERS } from './triggers.ts'

export { parseDuration } from './duration.ts'

export const KEY_SOURCES = ['title', 'branch', 'body', 'commits'] as const
export const DEFAULT_KEY_SOURCES: readonly (typeof KEY_SOURCES)[number][] = ['title', 'branch', 'commits']
export const DEFAULT_MAX_KEYS = 100
export const ROTATION_PROVIDERS = ['dc-pat', 'cloud-api-token', 'cloud-oauth-client'] as const
export const JIRA_AUTH_KINDS = ['api-token', 'pat', 'oauth-client'] as const
/** Fields whose value Jira takes as `{ name }`; any other field id is sent as written. */
export const NAMED_FIELDS: readonly string[] = ['resolution', 'priority']

const template = z.string().superRefine((text, context) => {
  for (const problem of templateProblems(text)) context.addIssue({ code: 'custom', message: problem })
})

const duration = z.string().refine((text) => durationMilliseconds(text) !== undefined, {
  error: (issue) => durationProblem(String(issue.input)),
})

const refPattern = z
  .string()
  .regex(/^[A-Za-z0-9._\/*-]{1,255}$/, 'a workflow path or ref: letters, digits, . _ - / and * globs (e.g. refs/heads/main).')

const projectKey = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'a Jira project key is an uppercase letter, then 1 to 9 uppercase letters, digits or underscores (e.g. PROJ).')

const fieldValue = z.union([z.string().min(1), z.number(), z.boolean()], {
  error: 'a field value is text, a number or true/false (e.g. resolution: Done).',
})

const fields = z
  .record(
    z.string().regex(/^(customfield_\d+|[a-z][A-Za-z0-9]*)$/, 'a Jira field id such as resolution or customfield_10010.'),
    fieldValue,
  )
  .superRefine((given, context) => {
    if ('fixVersions' in given) {
      context.addIssue({ code: 'custom', path: ['fixVersions'], message: 'set fix versions with fix-version: on the rule, not under fields.' })
    }
  })

const transitionRuleShape = z.strictObject({
  on: z.enum(TRIGGERS).describe(`name the event, one of: ${TRIGGERS.join(', ')}.`),
  if: z.enum(EVENT_CONDITIONS).optional(),
  environment: z.string().min(1).max(255).optional(),
  branch: z.string().min(1).max(255).optional(),
  to: z.string().trim().min(1, 'name the target status, e.g. to: Done.').max(255).describe('name the target status, e.g. to: Done.'),
  fields: fields.optional(),
  'fix-version': template.optional(),
  comment: template.optional(),
})

export const transitionRuleSchema = transitionRuleShape.superRefine((rule, context) => {
  const possible = conditionsOn(rule.on)
  if (rule.if !== undefined && !possible.includes(rule.if)) {
    const fix = possible.length > 0 ? `use one of: ${possible.join(', ')}` : `${rule.on} has no if: conditions, remove if:`
    context.addIssue({ code: 'custom', path: ['if'], message: `'${rule.if}' never holds on ${rule.on}; ${fix}.` })
  }
  if (rule.environment !== undefined && rule.on !== 'deployment_status') {
    context.addIssue({ code: 'custom', path: ['environment'], message: 'environment: applies only to on: deployment_status; remove it or change on:.' })
  }
  if (rule.branch !== undefined && rule.on.startsWith('release.')) {
    context.addIssue({ code: 'custom', path: ['branch'], message: 'branch: applies to push, pull request and deployment rules, not to releases.' })
  }
})

const rotation = z
  .strictObject({
    provider: z.enum(ROTATION_PROVIDERS).describe(`name the credential kind, one of: ${ROTATION_PROVIDERS.join(', ')}.`),
    secret: z
      .string()
      .regex(/^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/i, 'a GitHub secret name: letters, digits and underscores, not starting with a digit or GITHUB_ (e.g. JIRA_PAT).')
      .describe('name the GitHub secret that holds the credential, e.g. secret: JIRA_PAT.'),
    scope: z
      .string()
      .regex(/^(repo|org|environment:.{1,255})$/, 'the secret scope is repo, org or environment:NAME (e.g. environment:production).')
      .default('repo'),
    period: duration.optional(),
    expiry: duration.optional(),
    grace: duration.default('24h'),
  })
  .superRefine((policy, context) => {
    const period = policy.period === undefined ? undefined : durationMilliseconds(policy.period)
    const expiry = policy.expiry === undefined ? undefined : durationMilliseconds(policy.expiry)
    if (period !== undefined && expiry !== undefined && period >= expiry) {
      context.addIssue({ code: 'custom', path: ['period'], message: `a period of ${policy.period} does not rotate before the expiry of ${policy.expiry}; make the period shorter.` })
    }
  })

export const configSchema = z
  .strictObject({
    jira: z
      .strictObject({
        url: z
          .string()
          .refine(isHttpUrl, 'jira.url is the https base URL of the site, e.g. https://acme.atlassian.net.')
          .describe('give the https base URL of the site, e.g. url: https://acme.atlassian.net.'),
        auth: z.enum(JIRA_AUTH_KINDS).optional(),
      })
      .optional(),
    projects: z.array(projectKey).min(1, 'list at least one project key, e.g. projects: [PROJ], or remove projects:.').optional(),
    keys: z
      .strictObject({
        from: z.array(z.enum(KEY_SOURCES)).min(1, `list at least one of ${KEY_SOURCES.join(', ')}.`).default([...DEFAULT_KEY_SOURCES]),
        max: z.int().min(1, 'keys.max is at least 1.').max(10_000, 'keys.max is at most 10000.').default(DEFAULT_MAX_KEYS),
      })
      .prefault({}),
    transitions: z.array(transitionRuleSchema).optional(),
    comment: template.optional(),
    rotation: rotation.optional(),
    audit: z
      .strictObject({
        issue: z.boolean().default(true),
        /** Workflow files that may use the credential (`.github/workflows/jira.yml`, `*` globs); others are flagged by /warden audit. */
        workflows: z.array(refPattern).min(1).optional(),
        /** Refs the credential may be used from (`refs/heads/main`, `refs/tags/*`); others are flagged by /warden audit. */
        refs: z.array(refPattern).min(1).optional(),
      })
      .prefault({}),
    commands: z
      .strictObject({
        /** Read-only commands that write users may run too (state-changing ones stay admin-only). */
        'open-to-write': z.array(z.enum(['help', 'status', 'audit'])).optional(),
        /** The rotation workflow the app dispatches for rotate, verify and revoke. */
        workflow: z
          .string()
          .regex(/^[A-Za-z0-9._-]+\.ya?ml$/, 'the rotation workflow is a file name in .github/workflows, e.g. workflow: jira-rotate.yml.')
          .optional(),
      })
      .optional(),
  })
  .describe('write a mapping of sections: jira, projects, keys, transitions, comment, rotation, audit, commands.')

const transitionRulesSchema = z
  .array(transitionRuleSchema)
  .describe('write a YAML list of rules, each with on: and to: (e.g. "- on: pull_request.closed" then "  to: Done").')

export type WardenConfig = z.output<typeof configSchema>
export type TransitionRule = z.output<typeof transitionRuleSchema>
export type RotationPolicy = z.output<typeof rotation>
export type KeySourceName = (typeof KEY_SOURCES)[number]

/** Parses the config file; an empty file is an empty config. Throws ConfigurationError. */
export function parseConfig(text: string, sourceName: string): WardenConfig {
  const yaml = readYaml(text, sourceName)
  const parsed = configSchema.safeParse(yaml.value ?? {}, { reportInput: true })
  if (!parsed.success) throw configurationError(yaml, parsed.error.issues, configSchema, ['transitions'])
  return parsed.data
}

/** Parses the `transitions` input: the same list as the file's `transitions:`. Throws ConfigurationError. */
export function parseTransitionRules(text: string, sourceName: string): TransitionRule[] {
  const yaml = readYaml(text, sourceName)
  const parsed = transitionRulesSchema.safeParse(yaml.value ?? [], { reportInput: true })
  if (!parsed.success) throw configurationError(yaml, parsed.error.issues, transitionRulesSchema, [])
  return parsed.data
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
  } catch {
    return false
  }
}
