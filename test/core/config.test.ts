import { describe, expect, test } from 'vitest'
import { parseConfig, parseDuration, parseTransitionRules } from '../../src/core/config.ts'
import { ConfigurationError } from '../../src/core/errors.ts'

const FILE = '.github/jira-warden.yml'

/** The example of DESIGN.md section 3, verbatim. */
const DESIGN_EXAMPLE = `jira:
  url: https://acme.atlassian.net
projects: [PROJ, OPS]
keys:
  from: [title, branch, commits]
  max: 100
transitions:
  - on: pull_request.opened
    to: In Progress
  - on: pull_request.ready_for_review
    to: In Review
  - on: pull_request.closed
    if: merged              # merged | not-merged | approved | changes-requested | success | failure
    to: Done
    fields:
      resolution: Done
  - on: deployment_status
    if: success
    environment: production
    to: Released
    fix-version: "{{ deployment.ref }}"
comment: "{{ event }} by {{ actor }}: {{ url }}"
rotation:
  provider: dc-pat
  secret: JIRA_PAT
  scope: repo               # repo | environment:NAME | org
  period: 30d
  expiry: 90d
  grace: 24h
audit:
  issue: true
`

function configError(text: string, sourceName = FILE): string {
  try {
    parseConfig(text, sourceName)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigurationError')
}

function rulesError(text: string): string {
  try {
    parseTransitionRules(text, 'the transitions input')
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigurationError')
}

describe('parseConfig accepts', () => {
  test('the example of the design, as written', () => {
    expect(parseConfig(DESIGN_EXAMPLE, FILE)).toEqual({
      jira: { url: 'https://acme.atlassian.net' },
      projects: ['PROJ', 'OPS'],
      keys: { from: ['title', 'branch', 'commits'], max: 100 },
      transitions: [
        { on: 'pull_request.opened', to: 'In Progress' },
        { on: 'pull_request.ready_for_review', to: 'In Review' },
        { on: 'pull_request.closed', if: 'merged', to: 'Done', fields: { resolution: 'Done' } },
        { on: 'deployment_status', if: 'success', environment: 'production', to: 'Released', 'fix-version': '{{ deployment.ref }}' },
      ],
      comment: '{{ event }} by {{ actor }}: {{ url }}',
      rotation: { provider: 'dc-pat', secret: 'JIRA_PAT', scope: 'repo', period: '30d', expiry: '90d', grace: '24h' },
      audit: { issue: true },
    })
  })

  test.each<[string, string, object]>([
    ['an empty file', '', { keys: { from: ['title', 'branch', 'commits'], max: 100 }, audit: { issue: true } }],
    ['a comment-only file', '# nothing yet\n', { keys: { from: ['title', 'branch', 'commits'], max: 100 }, audit: { issue: true } }],
    ['keys with only max', 'keys:\n  max: 5\n', { keys: { from: ['title', 'branch', 'commits'], max: 5 }, audit: { issue: true } }],
    [
      'rotation defaults',
      'rotation:\n  provider: cloud-api-token\n  secret: JIRA_API_TOKEN\n',
      { keys: { from: ['title', 'branch', 'commits'], max: 100 }, audit: { issue: true }, rotation: { provider: 'cloud-api-token', secret: 'JIRA_API_TOKEN', scope: 'repo', grace: '24h' } },
    ],
    [
      'an environment scope, Data Center URL and auth kind',
      'jira: { url: "http://localhost:8080/jira", auth: pat }\nrotation: { provider: dc-pat, secret: JIRA_PAT, scope: "environment:production" }\naudit: { issue: false }\n',
      { jira: { url: 'http://localhost:8080/jira', auth: 'pat' }, keys: { from: ['title', 'branch', 'commits'], max: 100 }, audit: { issue: false }, rotation: { provider: 'dc-pat', secret: 'JIRA_PAT', scope: 'environment:production', grace: '24h' } },
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseConfig(text, FILE)).toEqual(expected)
  })

  test('rules with branch globs, custom fields and their own comment', () => {
    const config = parseConfig(
      `transitions:
  - on: push
    branch: "release/**"
    to: Ready for QA
    fields: { priority: High, customfield_10010: 3, resolution: Fixed }
    comment: "pushed {{ sha }}"
`,
      FILE,
    )
    expect(config.transitions).toEqual([
      { on: 'push', branch: 'release/**', to: 'Ready for QA', fields: { priority: 'High', customfield_10010: 3, resolution: 'Fixed' }, comment: 'pushed {{ sha }}' },
    ])
  })
})

describe('parseConfig refuses, naming file, line, rule, field and fix', () => {
  test.each<[string, string, string]>([
    [
      'a misspelt section',
      'tranistions:\n  - on: pull_request.closed\n    to: Done\n',
      `${FILE} line 1, top level: unknown key 'tranistions' (did you mean 'transitions'?); the keys allowed here are jira, projects, keys, transitions, comment, rotation, audit, commands.`,
    ],
    [
      'an unknown if:',
      'transitions:\n  - on: pull_request.opened\n    to: Doing\n  - on: pull_request.opened\n    to: Doing\n  - on: pull_request.closed\n    if: merge\n    to: Done\n',
      `${FILE} line 7, transitions[2] (on: pull_request.closed), field 'if': 'merge' is not valid; use one of: merged, not-merged, approved, changes-requested, commented, success, failure, error, pending, in-progress, queued, inactive, prerelease, stable.`,
    ],
    [
      'an if: that never holds on its event',
      'transitions:\n  - on: pull_request.opened\n    if: merged\n    to: Done\n',
      `${FILE} line 3, transitions[0] (on: pull_request.opened), field 'if': 'merged' never holds on pull_request.opened; pull_request.opened has no if: conditions, remove if:.`,
    ],
    [
      'a review rule with a deployment condition',
      'transitions:\n  - on: pull_request_review.submitted\n    if: success\n    to: Done\n',
      `${FILE} line 3, transitions[0] (on: pull_request_review.submitted), field 'if': 'success' never holds on pull_request_review.submitted; use one of: approved, changes-requested, commented.`,
    ],
    [
      'a rule without to:',
      'transitions:\n  - on: pull_request.closed\n    if: merged\n',
      `${FILE} line 2, transitions[0] (on: pull_request.closed), field 'to': is required: name the target status, e.g. to: Done.`,
    ],
    [
      'a rule without on:',
      'transitions:\n  - to: Done\n',
      `${FILE} line 2, transitions[0], field 'on': is required: name the event, one of: pull_request.opened, pull_request.reopened, pull_request.edited, pull_request.ready_for_review, pull_request.converted_to_draft, pull_request.review_requested, pull_request.synchronize, pull_request.closed, pull_request_review.submitted, pull_request_review.dismissed, deployment_status, release.published, release.released, release.prereleased, push.`,
    ],
    [
      'an unknown rule key',
      'transitions:\n  - on: push\n    to: Done\n    transition: Close\n',
      `${FILE} line 4, transitions[0] (on: push): unknown key 'transition'; the keys allowed here are on, if, environment, branch, to, fields, fix-version, comment.`,
    ],
    [
      'a misspelt fix-version',
      'transitions:\n  - on: release.published\n    to: Released\n    fixversion: "{{ version }}"\n',
      `${FILE} line 4, transitions[0] (on: release.published): unknown key 'fixversion' (did you mean 'fix-version'?); the keys allowed here are on, if, environment, branch, to, fields, fix-version, comment.`,
    ],
    [
      'environment on a pull request rule',
      'transitions:\n  - on: pull_request.closed\n    environment: production\n    to: Done\n',
      `${FILE} line 3, transitions[0] (on: pull_request.closed), field 'environment': environment: applies only to on: deployment_status; remove it or change on:.`,
    ],
    [
      'fix versions under fields',
      'transitions:\n  - on: release.published\n    to: Released\n    fields:\n      fixVersions: "1.0"\n',
      `${FILE} line 5, transitions[0] (on: release.published), field 'fields.fixVersions': set fix versions with fix-version: on the rule, not under fields.`,
    ],
    [
      'an unknown placeholder',
      'comment: "{{ pull_request.titel }}"\n',
      `${FILE} line 1, field 'comment': '{{ pull_request.titel }}' is not a placeholder; use one of: event, action, actor, url, repository, ref, sha, branch, environment, version, state, deployment.ref, deployment.environment, deployment.state, deployment.sha, deployment.url, pull_request.number, pull_request.title, pull_request.url, pull_request.head, pull_request.base, release.tag, release.name, release.url`,
    ],
    [
      'a lowercase project key',
      'projects: [PROJ, ops]\n',
      `${FILE} line 1, field 'projects[1]': a Jira project key is an uppercase letter, then 1 to 9 uppercase letters, digits or underscores (e.g. PROJ).`,
    ],
    [
      'an empty project list',
      'projects: []\n',
      `${FILE} line 1, field 'projects': list at least one project key, e.g. projects: [PROJ], or remove projects:.`,
    ],
    [
      'an unknown key source',
      'keys:\n  from: [title, labels]\n',
      `${FILE} line 2, field 'keys.from[1]': 'labels' is not valid; use one of: title, branch, body, commits.`,
    ],
    ['keys.max as text', 'keys:\n  max: lots\n', `${FILE} line 2, field 'keys.max': expected a number, got the text 'lots'.`],
    ['a non-http Jira URL', 'jira:\n  url: ftp://acme\n', `${FILE} line 2, field 'jira.url': jira.url is the https base URL of the site, e.g. https://acme.atlassian.net.`],
    ['a Jira section without url', 'jira:\n  auth: pat\n', `${FILE} line 2, field 'jira.url': is required: give the https base URL of the site, e.g. url: https://acme.atlassian.net.`],
    [
      'a bad duration',
      'rotation:\n  provider: dc-pat\n  secret: JIRA_PAT\n  grace: 1y\n',
      `${FILE} line 4, field 'rotation.grace': '1y' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w).`,
    ],
    [
      'a period longer than the expiry',
      'rotation:\n  provider: dc-pat\n  secret: JIRA_PAT\n  period: 90d\n  expiry: 30d\n',
      `${FILE} line 4, field 'rotation.period': a period of 90d does not rotate before the expiry of 30d; make the period shorter.`,
    ],
    [
      'a reserved secret name',
      'rotation:\n  provider: dc-pat\n  secret: GITHUB_TOKEN\n',
      `${FILE} line 3, field 'rotation.secret': a GitHub secret name: letters, digits and underscores, not starting with a digit or GITHUB_ (e.g. JIRA_PAT).`,
    ],
    [
      'a bad scope',
      'rotation:\n  provider: dc-pat\n  secret: JIRA_PAT\n  scope: environment\n',
      `${FILE} line 4, field 'rotation.scope': the secret scope is repo, org or environment:NAME (e.g. environment:production).`,
    ],
    ['a list instead of a mapping', '- on: push\n  to: Done\n', `${FILE} line 1, top level: expected a mapping, got a list; write a mapping of sections: jira, projects, keys, transitions, comment, rotation, audit, commands.`],
    ['broken YAML', 'projects: [PROJ\n', `${FILE} is not valid YAML (line 2): Flow sequence in block collection must be sufficiently indented and end with a ]. Fix the YAML syntax there.`],
    ['a duplicated key', 'comment: a\ncomment: b\n', `${FILE} is not valid YAML (line 2): Map keys must be unique. Fix the YAML syntax there.`],
  ])('%s', (_name, text, message) => {
    expect(configError(text)).toBe(message)
  })

  test('several problems are listed together, in line order', () => {
    const message = configError('transitions:\n  - on: push\n    to: Done\n    colour: red\nprojects: [x]\nkeys: { max: 0 }\n')
    expect(message).toBe(
      [
        `${FILE} has 3 problems:`,
        "line 4, transitions[0] (on: push): unknown key 'colour'; the keys allowed here are on, if, environment, branch, to, fields, fix-version, comment.",
        "line 5, field 'projects[0]': a Jira project key is an uppercase letter, then 1 to 9 uppercase letters, digits or underscores (e.g. PROJ).",
        "line 6, field 'keys.max': keys.max is at least 1.",
      ].join('\n  '),
    )
  })

  test('at most ten problems are spelt out', () => {
    const rules = Array.from({ length: 12 }, () => '  - on: nope\n    to: Done\n').join('')
    const lines = configError(`transitions:\n${rules}`).split('\n')
    expect(lines[0]).toBe(`${FILE} has 12 problems:`)
    expect(lines).toHaveLength(12)
    expect(lines.at(-1)).toBe('  … and 2 more')
  })
})

describe('parseTransitionRules (the transitions input)', () => {
  test('takes the same list as the file', () => {
    expect(parseTransitionRules('- on: pull_request.closed\n  if: merged\n  to: Done\n- on: push\n  branch: main\n  to: Deployed\n', 'the transitions input')).toEqual([
      { on: 'pull_request.closed', if: 'merged', to: 'Done' },
      { on: 'push', branch: 'main', to: 'Deployed' },
    ])
  })

  test('an empty input is no rules', () => {
    expect(parseTransitionRules('', 'the transitions input')).toEqual([])
  })

  test.each<[string, string, string]>([
    ['an unknown event', '- on: push\n  to: Done\n- on: nope\n  to: x\n', "the transitions input line 3, transitions[1] (on: nope), field 'on': 'nope' is not valid; use one of: pull_request.opened, pull_request.reopened, pull_request.edited, pull_request.ready_for_review, pull_request.converted_to_draft, pull_request.review_requested, pull_request.synchronize, pull_request.closed, pull_request_review.submitted, pull_request_review.dismissed, deployment_status, release.published, release.released, release.prereleased, push."],
    ['a mapping instead of a list', 'on: push\nto: Done\n', 'the transitions input line 1, top level: expected a list, got a mapping; write a YAML list of rules, each with on: and to: (e.g. "- on: pull_request.closed" then "  to: Done").'],
    ['a blank target', '- on: push\n  to: "  "\n', "the transitions input line 2, transitions[0] (on: push), field 'to': name the target status, e.g. to: Done."],
    ['a branch on a release', '- on: release.published\n  branch: main\n  to: Released\n', "the transitions input line 2, transitions[0] (on: release.published), field 'branch': branch: applies to push, pull request and deployment rules, not to releases."],
  ])('%s', (_name, text, message) => {
    expect(rulesError(text)).toBe(message)
  })
})

describe('parseDuration', () => {
  test.each<[string, number]>([
    ['45s', 45_000],
    ['90m', 5_400_000],
    ['24h', 86_400_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    [' 7d ', 604_800_000],
  ])('%s → %d ms', (text, milliseconds) => {
    expect(parseDuration(text)).toBe(milliseconds)
  })

  test.each<[string, string]>([
    ['0d', "'0d' is zero: a duration must be longer than that (e.g. 24h)."],
    ['1y', "'1y' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w)."],
    ['1.5h', "'1.5h' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w)."],
    ['30', "'30' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w)."],
    ['-1d', "'-1d' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w)."],
    ['1d2h', "'1d2h' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w)."],
    ['99999999999999999999d', "'99999999999999999999…' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w)."],
  ])('%s is refused', (text, message) => {
    expect(() => parseDuration(text)).toThrow(new ConfigurationError(message))
  })
})
