/**
 * Running a parsed JQL query against the sandbox: which issues match and are
 * visible, and which named values Jira would call out as not existing.
 *
 * What Jira answers for `key in (...)` naming a key that does not exist or
 * that the caller may not see (the two are deliberately indistinguishable):
 * - Data Center `/rest/api/2/search`, validateQuery strict (the default): 400
 *   `{"errorMessages":["An issue with key 'X-9' does not exist for field 'key'."],"errors":{}}`,
 *   one message per bad key; a malformed key reads "The issue key '0.0' for
 *   field 'key' is invalid."; validateQuery=false/warn answers 200 with the
 *   same sentences as warningMessages, none answers 200 silently.
 *   Sources: atlassian-api/atlassian-python-api#752, hygieia/hygieia#1376,
 *   jonas0007/Jira.SDK#45, Atlassian KB "How to handle HTTP 400 Bad Request
 *   errors on Jira search REST API endpoint" (non-existing data referenced in
 *   the JQL, unauthenticated user), and the validateQuery docs of SearchRequestBean.
 * - Cloud `/rest/api/3/search/jql` (the enhanced search): no error; the
 *   missing keys are simply not in `issues`. CData's Jira connector docs
 *   (KeyColumnOperators: "on Jira Cloud with the /search/jql endpoint ... returns
 *   0 results for filters involving invalid keys or IDs rather than an error",
 *   whereas legacy endpoints and Data Center error), and public client code
 *   noting that the enhanced endpoint accepts unknown values and returns zero
 *   issues; the endpoint has no validateQuery parameter (Adaptavist's
 *   migration notes). `cloudUnknownKeys: 'reject'` restores the old 400 for
 *   tests that want it.
 */
import type { JqlQuery } from './jql.ts'
import { canSee, hasPermission, type IssueState, type JiraIssue, type JiraState, type JiraUser } from './jira-state.ts'

export interface SearchMatch {
  issue: JiraIssue
  /** The state the search shows (the past one, when the index lags). */
  state: IssueState
}

export interface SearchResult {
  matches: SearchMatch[]
  /** Jira's sentence for each named value that does not exist for this user. */
  problems: string[]
}

const KEY_PATTERN = /^[A-Z][A-Z0-9_]*-\d+$/i

export interface SearchOptions {
  user: JiraUser | undefined
  /** What the index shows: each issue as it was at this moment (now, without lag). */
  asOf: number
  /** Issue ids read fresh whatever the lag (Cloud's reconcileIssues). */
  reconcile: ReadonlySet<string>
}

export function searchIssues(state: JiraState, query: JqlQuery, options: SearchOptions): SearchResult {
  const visible = (issue: JiraIssue): boolean => canSee(options.user, issue)
  const problems = query.clauses.flatMap((clause) =>
    clause.values.flatMap((value) => {
      if (clause.field === 'project') {
        const project = state.project(value)
        return project && hasPermission(options.user, 'BROWSE_PROJECTS', project) ? [] : [`The value '${value}' does not exist for the field '${clause.written}'.`]
      }
      if (!/^\d+$/.test(value) && !KEY_PATTERN.test(value)) return [`The issue key '${value}' for field '${clause.written}' is invalid.`]
      const issue = state.issue(value)
      return issue && visible(issue) ? [] : [`An issue with key '${value}' does not exist for field '${clause.written}'.`]
    }),
  )
  const matches: SearchMatch[] = []
  for (const issue of state.issues()) {
    if (!visible(issue) || !query.clauses.every((clause) => clauseMatches(state, clause, issue))) continue
    const shown = options.reconcile.has(issue.id) ? issue.state : state.stateAt(issue, options.asOf)
    if (shown) matches.push({ issue, state: shown })
  }
  return { matches: order(matches, query.order), problems }
}

function clauseMatches(state: JiraState, clause: JqlQuery['clauses'][number], issue: JiraIssue): boolean {
  if (clause.field === 'project') return clause.values.some((value) => state.project(value) === issue.project)
  return clause.values.some((value) => value === issue.id || value.toUpperCase() === issue.key)
}

function order(matches: SearchMatch[], by: JqlQuery['order']): SearchMatch[] {
  const field = by?.field ?? 'key'
  const sign = by?.direction === 'DESC' ? -1 : 1
  const rank = ({ issue, state }: SearchMatch): [string, number] =>
    field === 'key' ? [issue.project.key, Number(issue.key.split('-')[1])] : ['', field === 'created' ? issue.created : state.updated]
  return [...matches].sort((a, b) => {
    const [projectA, numberA] = rank(a)
    const [projectB, numberB] = rank(b)
    return sign * (projectA === projectB ? numberA - numberB : projectA < projectB ? -1 : 1)
  })
}
