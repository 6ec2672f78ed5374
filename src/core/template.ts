/**
 * `{{ name }}` and `{{ a.b }}` placeholders over a fixed context, nothing
 * else: no code, no helpers, no second pass (a value that contains `{{ x }}`
 * stays literal). Values are made single-line and capped so event text can
 * neither start a new log line nor flood a comment.
 */
import type { WardenEvent } from './event.ts'

export interface TemplateContext {
  /** The trigger: `pull_request.closed`, `deployment_status` … */
  event: string
  action: string
  actor: string
  url: string
  /** owner/repo */
  repository: string
  ref: string
  sha: string
  branch: string
  environment: string
  version: string
  state: string
  deployment: { ref: string; environment: string; state: string; sha: string; url: string }
  pull_request: { number: string; title: string; url: string; head: string; base: string }
  release: { tag: string; name: string; url: string }
}

export const MAX_TEMPLATE_VALUE_LENGTH = 256

const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

export function templateContextFor(event: WardenEvent): TemplateContext {
  const kind = event.trigger.split('.')[0] ?? ''
  const text = (value: string | number | undefined) => (value === undefined ? '' : String(value))
  const isPullRequest = kind === 'pull_request' || kind === 'pull_request_review'
  const isDeployment = kind === 'deployment_status'
  const isRelease = kind === 'release'
  return {
    event: event.trigger,
    action: event.trigger.split('.')[1] ?? '',
    actor: text(event.actor),
    url: text(event.url),
    repository: `${event.repository.owner}/${event.repository.repo}`,
    ref: text(event.ref),
    sha: text(event.sha),
    branch: text(event.branch),
    environment: text(event.environment),
    version: text(event.version),
    state: text(event.state),
    deployment: {
      ref: isDeployment ? text(event.ref) : '',
      environment: isDeployment ? text(event.environment) : '',
      state: isDeployment ? text(event.state) : '',
      sha: isDeployment ? text(event.sha) : '',
      url: isDeployment ? text(event.url) : '',
    },
    pull_request: {
      number: isPullRequest ? text(event.pullNumber) : '',
      title: isPullRequest ? text(event.title) : '',
      url: isPullRequest ? text(event.url) : '',
      head: isPullRequest ? text(event.headBranch) : '',
      base: isPullRequest ? text(event.branch) : '',
    },
    release: {
      tag: isRelease ? text(event.version) : '',
      name: isRelease ? text(event.title) : '',
      url: isRelease ? text(event.url) : '',
    },
  }
}

/** Every placeholder a template may use, e.g. `pull_request.title`. */
export const TEMPLATE_PLACEHOLDERS: readonly string[] = leafPaths(
  templateContextFor({ trigger: '', condition: [], repository: { owner: '', repo: '' }, fromFork: false, notes: [] }),
)

export function renderTemplate(template: string, context: TemplateContext): string {
  return mapPlaceholders(template, (name) => {
    const value = PLACEHOLDER_NAME.test(name) ? lookUp(context, name) : undefined
    return typeof value === 'string' || typeof value === 'number' ? templateValue(String(value)) : ''
  })
}

/** What is wrong with a template's placeholders, one message each (empty when all are known). */
export function templateProblems(template: string): string[] {
  const problems: string[] = []
  mapPlaceholders(template, (name) => {
    if (!TEMPLATE_PLACEHOLDERS.includes(name)) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name
      problems.push(`'{{ ${shown} }}' is not a placeholder; use one of: ${TEMPLATE_PLACEHOLDERS.join(', ')}`)
    }
    return ''
  })
  return problems
}

/** A value made safe for one line: controls, line breaks and bidi overrides become spaces, runs of space collapse, length capped. */
export function templateValue(value: string): string {
  const head = value.slice(0, MAX_TEMPLATE_VALUE_LENGTH * 4)
  const flat = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/ {2,}/g, ' ').trim()
  const characters = Array.from(flat)
  if (characters.length <= MAX_TEMPLATE_VALUE_LENGTH && head.length === value.length) return flat
  return `${characters.slice(0, MAX_TEMPLATE_VALUE_LENGTH - 1).join('')}…`
}

/** Replaces each `{{ … }}` with replace(trimmed inner text); linear: each `}}` is searched for once. */
function mapPlaceholders(template: string, replace: (name: string) => string): string {
  let output = ''
  let position = 0
  while (position < template.length) {
    const open = template.indexOf('{{', position)
    const close = open === -1 ? -1 : template.indexOf('}}', open + 2)
    if (open === -1 || close === -1) break
    output += template.slice(position, open) + replace(template.slice(open + 2, close).trim())
    position = close + 2
  }
  return output + template.slice(position)
}

function lookUp(context: TemplateContext, name: string): unknown {
  let current: unknown = context
  for (const part of name.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

function leafPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([name, child]) =>
    typeof child === 'object' && child !== null ? leafPaths(child, `${prefix}${name}.`) : [`${prefix}${name}`],
  )
}
