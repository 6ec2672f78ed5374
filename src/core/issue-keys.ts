/**
 * Jira issue keys in free text. A hand-written scanner, one pass over the
 * text (no regular expression runs over user text), so a 1 MB adversarial
 * title costs the same as a 1 MB ordinary one.
 *
 * Key grammar (what Jira allows by default and with the widest project-key
 * pattern Data Center admins can set):
 *   project = an ASCII letter, then 1–9 ASCII letters, digits or underscores (2–10 in all)
 *   number  = 1–9 digits, no leading zero
 *   key     = project "-" number
 * Only ASCII counts: fullwidth or Cyrillic look-alikes, and any letter, digit,
 * mark or zero-width (format) character of any script glued to either end of
 * the key, stop it from matching. After the number, `_`, `-`, `/`, `.` and
 * punctuation end the key (`PROJ-12_fix`, `PROJ-12-login`), but `-` or `.`
 * followed by a digit mean a longer identifier (`CVE-2024-1234`, `ABC-1.2`).
 * Before the project, `_` may separate a prefix (`feature_PROJ-12`): the
 * candidates are the whole word and each part after an underscore, longest
 * first; the first one that qualifies wins.
 * Uppercase only, except in branch names, which are often lowercased.
 */

export type KeySource = 'title' | 'branch' | 'body' | 'commits'

export interface KeySourceText {
  source: KeySource
  text: string
}

export interface KeyExtraction {
  /** First-seen order, de-duplicated, uppercase, at most `max`. */
  keys: string[]
  /** How many distinct keys were dropped because of `max`. */
  capped: number
  /** Keys of projects outside the allow-list (technical tokens left out), de-duplicated, at most MAX_IGNORED_LISTED. */
  ignored: string[]
}

export interface KeyExtractionOptions {
  /** Allow-list of project keys; when given (and not empty), only these count and the denylist is not used. */
  projects?: readonly string[]
  max: number
}

/**
 * Project keys that are technical tokens far more often than Jira projects
 * (UTF-8, SHA-256, ISO-8601, CVE-2024-1234, TLS-1, X86-64, UTC-5, GPT-4 …).
 * Used only without an allow-list; a team whose project is really called
 * one of these lists it in `projects`.
 */
export const DENYLISTED_PROJECTS: ReadonlySet<string> = new Set([
  'UTF', 'UCS', 'SHA', 'SHA2', 'SHA3', 'MD', 'ISO', 'IEC', 'IEEE', 'ECMA', 'CVE', 'CWE', 'RFC',
  'TLS', 'SSL', 'DTLS', 'HTTP', 'HTTPS', 'AES', 'RSA', 'X86', 'AMD', 'ARM', 'WIN', 'BASE',
  'UTC', 'GMT', 'PEP', 'GPT', 'COVID',
])

export const MAX_IGNORED_LISTED = 20
export const MAX_PROJECT_KEY_LENGTH = 10
export const MAX_ISSUE_NUMBER_DIGITS = 9

interface FoundKey {
  /** Project-key candidates, uppercased, longest first. */
  projects: string[]
  number: string
}

export function extractIssueKeys(sources: readonly KeySourceText[], options: KeyExtractionOptions): KeyExtraction {
  const allowed = allowListOf(options.projects)
  const max = Number.isFinite(options.max) ? Math.max(0, Math.floor(options.max)) : 0
  const seen = new Set<string>()
  const ignored = new Set<string>()
  const keys: string[] = []
  let capped = 0
  for (const { source, text } of sources) {
    for (const found of scanKeys(text, source === 'branch')) {
      const project = chooseProject(found.projects, allowed)
      if (project === undefined) {
        if (allowed) noteIgnored(ignored, found)
        continue
      }
      const key = `${project}-${found.number}`
      if (seen.has(key)) continue
      seen.add(key)
      if (keys.length < max) keys.push(key)
      else capped += 1
    }
  }
  return { keys, capped, ignored: [...ignored] }
}

/** True when the whole text is one issue key (uppercase), e.g. for the `issue-keys` input. */
export function isIssueKey(text: string): boolean {
  const found = [...scanKeys(text, false)]
  return found.length === 1 && `${found[0]?.projects[0]}-${found[0]?.number}` === text
}

/** Technical tokens are not worth a warning; keys of other projects are, in case one is missing from the list. */
function noteIgnored(ignored: Set<string>, found: FoundKey): void {
  const project = found.projects[0]
  if (project === undefined || DENYLISTED_PROJECTS.has(project) || ignored.size >= MAX_IGNORED_LISTED) return
  ignored.add(`${project}-${found.number}`)
}

function allowListOf(projects: readonly string[] | undefined): ReadonlySet<string> | undefined {
  const listed = (projects ?? []).map((project) => project.trim().toUpperCase()).filter(Boolean)
  return listed.length > 0 ? new Set(listed) : undefined
}

function chooseProject(candidates: readonly string[], allowed: ReadonlySet<string> | undefined): string | undefined {
  if (allowed) return candidates.find((project) => allowed.has(project))
  return candidates.find((project) => !DENYLISTED_PROJECTS.has(project))
}

function* scanKeys(text: string, anyCase: boolean): Generator<FoundKey> {
  const length = text.length
  let index = 0
  while (index < length) {
    if (!isAsciiWord(text.charCodeAt(index))) {
      index += 1
      continue
    }
    const wordStart = index
    while (index < length && isAsciiWord(text.charCodeAt(index))) index += 1
    if (text.charCodeAt(index) !== HYPHEN) continue
    const found = keyAfterWord(text, wordStart, index, anyCase)
    if (found) yield found
  }
}

/** The key whose project ends the word [wordStart, hyphen), if one stands there. */
function keyAfterWord(text: string, wordStart: number, hyphen: number, anyCase: boolean): FoundKey | undefined {
  if (isGlueBefore(text, wordStart)) return undefined
  const numberStart = hyphen + 1
  if (!isDigit(text.charCodeAt(numberStart)) || text.charCodeAt(numberStart) === ZERO) return undefined
  let numberEnd = numberStart
  while (numberEnd - numberStart <= MAX_ISSUE_NUMBER_DIGITS && isDigit(text.charCodeAt(numberEnd))) numberEnd += 1
  if (numberEnd - numberStart > MAX_ISSUE_NUMBER_DIGITS || !endsKey(text, numberEnd)) return undefined
  const projects = projectCandidates(text, wordStart, hyphen, anyCase)
  return projects.length > 0 ? { projects, number: text.slice(numberStart, numberEnd) } : undefined
}

/** Only the last MAX_PROJECT_KEY_LENGTH + 1 characters of the word can hold a candidate: constant work per key. */
function projectCandidates(text: string, wordStart: number, hyphen: number, anyCase: boolean): string[] {
  const starts: number[] = []
  if (hyphen - wordStart <= MAX_PROJECT_KEY_LENGTH) starts.push(wordStart)
  for (let at = Math.max(wordStart, hyphen - MAX_PROJECT_KEY_LENGTH - 1); at < hyphen; at += 1) {
    if (text.charCodeAt(at) === UNDERSCORE) starts.push(at + 1)
  }
  return starts
    .map((start) => text.slice(start, hyphen))
    .filter((project) => isProjectKey(project, anyCase))
    .map((project) => project.toUpperCase())
}

function isProjectKey(project: string, anyCase: boolean): boolean {
  if (project.length < 2 || project.length > MAX_PROJECT_KEY_LENGTH) return false
  return anyCase ? /^[A-Za-z][A-Za-z0-9_]+$/.test(project) : /^[A-Z][A-Z0-9_]+$/.test(project)
}

function endsKey(text: string, end: number): boolean {
  if (end >= text.length) return true
  const code = text.charCodeAt(end)
  if (code === UNDERSCORE) return true
  if (isAsciiWord(code)) return false
  if ((code === HYPHEN || code === DOT) && isDigit(text.charCodeAt(end + 1))) return false
  return !isGlue(text.codePointAt(end) ?? 0)
}

function isGlueBefore(text: string, start: number): boolean {
  if (start === 0) return false
  const last = text.charCodeAt(start - 1)
  const isLowSurrogate = last >= 0xdc00 && last <= 0xdfff
  const codePoint = isLowSurrogate && start >= 2 ? (text.codePointAt(start - 2) ?? last) : last
  return isGlue(codePoint)
}

const GLUE = /^[\p{L}\p{N}\p{M}\p{Cf}]$/u
const VARIATION_SELECTORS = /^[\uFE0E\uFE0F]$/u

/** Letters, digits, marks and zero-width characters of any script join a word; emoji presentation selectors do not. */
function isGlue(codePoint: number): boolean {
  const character = String.fromCodePoint(codePoint)
  return GLUE.test(character) && !VARIATION_SELECTORS.test(character)
}

const HYPHEN = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const UNDERSCORE = 0x5f

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

function isAsciiWord(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === UNDERSCORE
}
