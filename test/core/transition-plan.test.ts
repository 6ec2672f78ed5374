import { describe, expect, test } from 'vitest'
import { parseTransitionRules, type TransitionRule } from '../../src/core/config.ts'
import { describeEvent } from '../../src/core/event.ts'
import { templateContextFor, type TemplateContext } from '../../src/core/template.ts'
import { planIssue, renderComment, transitionFields, type AvailableTransition, type IssueStep } from '../../src/core/transition-plan.ts'
import type { JiraIssueState } from '../../src/ports/jira.ts'
import { realPayload } from './payloads.ts'

function contextOf(eventName: string, index: number): TemplateContext {
  const event = describeEvent(eventName, realPayload(eventName, index))
  if ('unsupported' in event) throw new Error(event.reason)
  return templateContextFor(event)
}

const RELEASE = contextOf('release', 0)
const PULL_REQUEST = contextOf('pull_request', 0)

function rule(yaml: string): TransitionRule {
  const [parsed] = parseTransitionRules(yaml, 'rule under test')
  if (!parsed) throw new Error('no rule')
  return parsed
}

function transition(id: string, name: string, to: string, requiredFields: string[] = [], isGlobal?: boolean): AvailableTransition {
  return { id, name, to: { name: to }, requiredFields, ...(isGlobal === undefined ? {} : { isGlobal }) }
}

/** An issue as the Jira port reads it: planIssue takes JiraIssueState as it is. */
function issue(status: string, transitions: AvailableTransition[]): JiraIssueState {
  return {
    key: 'PROJ-1',
    id: '10001',
    projectKey: 'PROJ',
    status: { id: '1', name: status },
    transitions: transitions.map((t) => ({ id: t.id, name: t.name, to: { id: `s-${t.id}`, name: t.to.name }, requiredFields: [...t.requiredFields], ...(t.isGlobal === undefined ? {} : { isGlobal: t.isGlobal }) })),
  }
}

const DONE = rule('- on: pull_request.closed\n  to: Done\n')
const DONE_WITH_RESOLUTION = rule('- on: pull_request.closed\n  to: Done\n  fields:\n    resolution: Fixed\n')
const RELEASED = rule('- on: release.published\n  to: Released\n  fix-version: "{{ release.tag }}"\n  fields: { resolution: Done, customfield_10010: 5 }\n')

describe('planIssue', () => {
  test.each<[string, JiraIssueState, TransitionRule, TemplateContext, IssueStep]>([
    ['already in the target status', issue('Done', [transition('2', 'Reopen', 'To Do')]), DONE, PULL_REQUEST, { key: 'PROJ-1', from: 'Done', to: 'Done', action: 'skip', reason: "already in 'Done'" }],
    ['already there, other case and spacing', issue('done ', []), DONE, PULL_REQUEST, { key: 'PROJ-1', from: 'done ', to: 'Done', action: 'skip', reason: "already in 'done '" }],
    [
      'the transition that leads to the status, whatever its name',
      issue('In Review', [transition('11', 'Back', 'In Progress'), transition('31', 'Ship it', 'DONE')]),
      DONE,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'In Review', to: 'Done', action: 'transition', transitionId: '31', transitionName: 'Ship it', fields: {} },
    ],
    [
      'a workflow transition before a global one',
      issue('In Review', [transition('91', 'Close (any)', 'Done', [], true), transition('31', 'Approve', 'Done', [], false)]),
      DONE,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'In Review', to: 'Done', action: 'transition', transitionId: '31', transitionName: 'Approve', fields: {} },
    ],
    [
      'the first one when Jira does not say which is global',
      issue('In Review', [transition('31', 'Approve', 'Done'), transition('41', 'Close', 'Done')]),
      DONE,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'In Review', to: 'Done', action: 'transition', transitionId: '31', transitionName: 'Approve', fields: {} },
    ],
    [
      'one the rule can fill in, before one needing more',
      issue('In Review', [transition('31', 'Close with reason', 'Done', ['resolution']), transition('41', 'Close', 'Done', [], true)]),
      DONE,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'In Review', to: 'Done', action: 'transition', transitionId: '41', transitionName: 'Close', fields: {} },
    ],
    [
      'required resolution given by the rule',
      issue('In Review', [transition('31', 'Close', 'Done', ['resolution'])]),
      DONE_WITH_RESOLUTION,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'In Review', to: 'Done', action: 'transition', transitionId: '31', transitionName: 'Close', fields: { resolution: { name: 'Fixed' } } },
    ],
    [
      'fix version, resolution and a custom field',
      issue('Done', [transition('51', 'Release', 'Released', ['fixVersions', 'resolution'])]),
      RELEASED,
      RELEASE,
      { key: 'PROJ-1', from: 'Done', to: 'Released', action: 'transition', transitionId: '51', transitionName: 'Release', fields: { resolution: { name: 'Done' }, customfield_10010: 5, fixVersions: [{ name: '0.0.1' }] } },
    ],
    [
      'a required field the rule does not give',
      issue('In Review', [transition('31', 'Close', 'Done', ['resolution'])]),
      DONE,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'In Review', to: 'Done', action: 'fail', reason: "transition 'Close' to 'Done' requires 'resolution'; add \"fields: { resolution: Done }\" to the rule (on: pull_request.closed)" },
    ],
    [
      'required custom field and fix version',
      issue('In Review', [transition('31', 'Close', 'Done', ['customfield_10020', 'fixVersions'])]),
      DONE,
      PULL_REQUEST,
      {
        key: 'PROJ-1',
        from: 'In Review',
        to: 'Done',
        action: 'fail',
        reason: "transition 'Close' to 'Done' requires 'customfield_10020', 'fixVersions'; add \"fields: { customfield_10020: <value> }\" to the rule (on: pull_request.closed); add fix-version: \"{{ version }}\" to the rule (on: pull_request.closed)",
      },
    ],
    [
      'a fix version this event leaves empty',
      issue('Done', [transition('51', 'Release', 'Released', ['fixVersions'])]),
      RELEASED,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'Done', to: 'Released', action: 'fail', reason: "transition 'Release' to 'Released' requires 'fixVersions'; the rule's fix-version \"{{ release.tag }}\" has no value for this event; use a placeholder this event fills, such as {{ version }}" },
    ],
    [
      'no transition leads there',
      issue('To Do', [transition('11', 'Start', 'In Progress'), transition('21', 'Block', 'Blocked'), transition('22', 'Block again', 'Blocked')]),
      DONE,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'To Do', to: 'Done', action: 'fail', reason: "no transition from 'To Do' leads to 'Done'; reachable from here: In Progress, Blocked. Check the status name in the rule's to:" },
    ],
    [
      'no transitions at all',
      issue('To Do', []),
      DONE,
      PULL_REQUEST,
      { key: 'PROJ-1', from: 'To Do', to: 'Done', action: 'fail', reason: "Jira offers no transition from 'To Do' to this credential (it may lack the Transition Issues permission in the project)" },
    ],
  ])('%s', (_name, state, transitionRule, context, expected) => {
    expect(planIssue(state, transitionRule, context)).toEqual(expected)
  })

  test('a required field named like an Object method is still missing', () => {
    const step = planIssue(issue('To Do', [transition('1', 'Odd', 'Done', ['constructor'])]), DONE, PULL_REQUEST)
    expect(step.action).toBe('fail')
  })
})

describe('transitionFields', () => {
  test.each<[string, TransitionRule, TemplateContext, Record<string, unknown>]>([
    ['no fields', DONE, PULL_REQUEST, {}],
    ['named fields take { name }', rule('- on: push\n  to: Done\n  fields: { resolution: Done, priority: High }\n'), PULL_REQUEST, { resolution: { name: 'Done' }, priority: { name: 'High' } }],
    ['other fields as written', rule('- on: push\n  to: Done\n  fields: { customfield_1: text, customfield_2: 2, customfield_3: true }\n'), PULL_REQUEST, { customfield_1: 'text', customfield_2: 2, customfield_3: true }],
    ['a rendered fix version', RELEASED, RELEASE, { resolution: { name: 'Done' }, customfield_10010: 5, fixVersions: [{ name: '0.0.1' }] }],
    ['an empty fix version is left out', RELEASED, PULL_REQUEST, { resolution: { name: 'Done' }, customfield_10010: 5 }],
  ])('%s', (_name, transitionRule, context, expected) => {
    expect(transitionFields(transitionRule, context)).toEqual(expected)
  })
})

describe('renderComment', () => {
  test.each<[string, TransitionRule, string | undefined, string | undefined]>([
    ['the general template', DONE, '{{ event }} by {{ actor }}', 'pull_request.opened by Codertocat'],
    ['the rule’s own template wins', rule('- on: push\n  to: Done\n  comment: "PR #{{ pull_request.number }}"\n'), '{{ event }}', 'PR #2'],
    ['no template, no comment', DONE, undefined, undefined],
    ['a template that renders blank, no comment', DONE, '  {{ environment }}  ', undefined],
    ['an empty rule comment silences the general one', rule('- on: push\n  to: Done\n  comment: ""\n'), '{{ event }}', undefined],
  ])('%s', (_name, transitionRule, fallback, expected) => {
    expect(renderComment(transitionRule, fallback, PULL_REQUEST)).toBe(expected)
  })
})
