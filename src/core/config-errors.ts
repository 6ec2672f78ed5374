/**
 * YAML with source positions, and schema issues turned into messages that
 * name the file, the line, the rule, the field and the fix.
 */
import { isMap, isSeq, isScalar, LineCounter, parseDocument, type Document } from 'yaml'
import { z } from 'zod'
import { ConfigurationError } from './errors.ts'

export interface YamlText {
  document: Document.Parsed
  lines: LineCounter
  sourceName: string
  value: unknown
}

type Path = readonly PropertyKey[]
type Issue = z.core.$ZodIssue

const MAX_REPORTED_ISSUES = 10

export function readYaml(text: string, sourceName: string): YamlText {
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const [error] = document.errors
  if (error) {
    const line = lines.linePos(error.pos[0]).line
    throw new ConfigurationError(`${sourceName} is not valid YAML (line ${line}): ${firstLine(error.message)}. Fix the YAML syntax there.`)
  }
  try {
    return { document, lines, sourceName, value: document.toJS({ maxAliasCount: 100 }) }
  } catch (cause) {
    throw new ConfigurationError(`${sourceName} could not be read: ${firstLine((cause as Error).message)}.`, { cause })
  }
}

/**
 * One ConfigurationError for all issues, each on its own line with its location.
 * `rulesAt` is the path of the rules list: ['transitions'] in the file, [] for the transitions input.
 */
export function configurationError(yaml: YamlText, issues: readonly Issue[], schema: z.ZodType, rulesAt: Path): ConfigurationError {
  const located = issues
    .map((issue) => {
      const linePath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path
      return { line: lineOf(yaml, linePath), text: `${locationOf(yaml.value, issue.path, rulesAt)}: ${problemOf(issue, schema)}` }
    })
    .sort((a, b) => a.line - b.line)
  const shown = located.slice(0, MAX_REPORTED_ISSUES).map(({ line, text }) => `line ${line}, ${text}`)
  const more = located.length > MAX_REPORTED_ISSUES ? [`… and ${located.length - MAX_REPORTED_ISSUES} more`] : []
  if (shown.length === 1) return new ConfigurationError(`${yaml.sourceName} ${shown[0]}`)
  return new ConfigurationError([`${yaml.sourceName} has ${located.length} problems:`, ...shown, ...more].join('\n  '))
}

/** The line of the deepest node on the path that exists: a map entry's key, or the mapping a missing key belongs in. */
export function lineOf(yaml: YamlText, path: Path): number {
  let node: unknown = yaml.document.contents
  let offset = rangeStart(node) ?? 0
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment))
      if (!pair) {
        offset = rangeStart(node) ?? offset
        break
      }
      offset = rangeStart(pair.key) ?? offset
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment]
      offset = rangeStart(node) ?? offset
    } else {
      break
    }
  }
  return yaml.lines.linePos(offset).line
}

function locationOf(value: unknown, path: Path, rulesAt: Path): string {
  const isRule = path.length > rulesAt.length && rulesAt.every((segment, index) => path[index] === segment)
  const ruleIndex = isRule ? path[rulesAt.length] : undefined
  if (typeof ruleIndex !== 'number') return path.length === 0 ? 'top level' : `field '${fieldName(path)}'`
  const on = valueAt(value, [...rulesAt, ruleIndex, 'on'])
  const rule = `transitions[${ruleIndex}]${typeof on === 'string' ? ` (on: ${clip(on)})` : ''}`
  const field = path.slice(rulesAt.length + 1)
  return field.length === 0 ? rule : `${rule}, field '${fieldName(field)}'`
}

function problemOf(issue: Issue, schema: z.ZodType): string {
  const hint = hintAt(schema, issue.code === 'unrecognized_keys' ? [] : issue.path)
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeysProblem(issue.keys, allowedKeysAt(schema, issue.path))
    case 'invalid_value':
      if (issue.input === undefined) return `is required${hint ? `: ${hint}` : `; use one of: ${issue.values.map(String).join(', ')}.`}`
      return `${shown(issue.input)} is not valid; use one of: ${issue.values.map(String).join(', ')}.`
    case 'invalid_type':
      if (issue.input === undefined) return `is required${hint ? `: ${hint}` : '.'}`
      return `expected ${expectedWord(issue.expected)}, got ${kindOf(issue.input)}${hint ? `; ${hint}` : '.'}`
    case 'invalid_key':
      return `${shown(issue.path.at(-1))} is not allowed here: ${issue.issues[0]?.message ?? issue.message}`
    default:
      return issue.message
  }
}

function unknownKeysProblem(keys: readonly string[], allowed: readonly string[]): string {
  const named = keys.map((key) => {
    const guess = allowed.find((candidate) => editDistance(key.toLowerCase(), candidate.toLowerCase()) <= 2)
    return `'${clip(key)}'${guess ? ` (did you mean '${guess}'?)` : ''}`
  })
  const noun = keys.length === 1 ? 'unknown key' : 'unknown keys'
  return `${noun} ${named.join(', ')}; the keys allowed here are ${allowed.join(', ')}.`
}

function allowedKeysAt(schema: z.ZodType, path: Path): string[] {
  const found = unwrap(schemaAt(schema, path))
  return found instanceof z.ZodObject ? Object.keys(found.shape) : []
}

/** The `describe()` text of the field's schema: how to fill it in. */
function hintAt(schema: z.ZodType, path: Path): string | undefined {
  let current: z.ZodType | undefined = schemaAt(schema, path)
  while (current) {
    if (current.description) return current.description
    const inner = unwrapOnce(current)
    current = inner === current ? undefined : inner
  }
  return undefined
}

function schemaAt(schema: z.ZodType, path: Path): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema
  for (const segment of path) {
    const container = unwrap(current)
    if (container instanceof z.ZodObject) current = (container.shape as Record<string, z.ZodType>)[String(segment)]
    else if (container instanceof z.ZodArray) current = container.element as z.ZodType
    else if (container instanceof z.ZodRecord) current = container.valueType as z.ZodType
    else return undefined
  }
  return current
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema
  while (current && unwrapOnce(current) !== current) current = unwrapOnce(current)
  return current
}

function unwrapOnce(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
    return schema.unwrap() as z.ZodType
  }
  if (schema instanceof z.ZodNullable) return schema.unwrap() as z.ZodType
  return schema
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined
    current = (current as Record<PropertyKey, unknown>)[segment]
  }
  return current
}

function fieldName(path: Path): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index > 0 ? '.' : ''}${String(segment)}`)).join('')
}

function expectedWord(expected: string): string {
  const words: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping' }
  return words[expected] ?? expected
}

function kindOf(input: unknown): string {
  if (input === null) return 'nothing (null)'
  if (Array.isArray(input)) return 'a list'
  if (typeof input === 'object') return 'a mapping'
  if (typeof input === 'string') return `the text ${shown(input)}`
  return `${typeof input} ${shown(input)}`
}

function shown(input: unknown): string {
  return typeof input === 'string' ? `'${clip(input)}'` : clip(JSON.stringify(input) ?? String(input))
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length > 40 ? `${flat.slice(0, 40)}…` : flat
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/\.$/, '')
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: unknown } | null)?.range
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined
}

/** Levenshtein distance of two short keys, for "did you mean". */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 40 || b.length > 40) return 3
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i]
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 3
}
