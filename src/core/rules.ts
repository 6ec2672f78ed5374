/**
 * Which rule an event triggers: the first, in the order written, whose
 * every given condition holds. A rule without `if:` matches whatever the
 * outcome (`pull_request.closed` alone: merged or not).
 */
import type { TransitionRule } from './config.ts'
import type { WardenEvent } from './event.ts'

export function selectRule(event: WardenEvent, rules: readonly TransitionRule[]): TransitionRule | undefined {
  return rules.find((rule) => ruleMatches(rule, event))
}

export function ruleMatches(rule: TransitionRule, event: WardenEvent): boolean {
  if (rule.on !== event.trigger) return false
  if (rule.if !== undefined && !event.condition.includes(rule.if)) return false
  if (rule.environment !== undefined && !globMatches(rule.environment, event.environment, { ignoreCase: true })) return false
  if (rule.branch !== undefined && !globMatches(rule.branch, event.branch, { ignoreCase: false })) return false
  return true
}

/**
 * GitHub-style filter pattern: `*` matches any run of characters but `/`,
 * `**` matches any run including `/`; everything else is literal.
 * Environment names are case-insensitive on GitHub, branch names are not.
 * Matched by dynamic programming, O(pattern × value): no pattern can backtrack catastrophically.
 */
export function globMatches(pattern: string, value: string | undefined, options: { ignoreCase: boolean }): boolean {
  if (value === undefined || value.length > MAX_MATCHED_LENGTH) return false
  const text = options.ignoreCase ? value.toLowerCase() : value
  const tokens = (options.ignoreCase ? pattern.toLowerCase() : pattern).split(/(\*\*|\*)/).flatMap((part) => (part.startsWith('*') ? [part] : part.split('')))
  let matched = Array.from({ length: text.length + 1 }, (_, end) => end === 0)
  for (const token of tokens) {
    const next = Array.from({ length: text.length + 1 }, () => false)
    for (let end = 0; end <= text.length; end += 1) {
      if (token === '**') next[end] = (matched[end] ?? false) || (end > 0 && (next[end - 1] ?? false))
      else if (token === '*') next[end] = (matched[end] ?? false) || (end > 0 && text[end - 1] !== '/' && (next[end - 1] ?? false))
      else next[end] = end > 0 && text[end - 1] === token && (matched[end - 1] ?? false)
    }
    matched = next
  }
  return matched[text.length] ?? false
}

/** Branch and environment names are short; anything longer is not a name to match. */
const MAX_MATCHED_LENGTH = 1024
