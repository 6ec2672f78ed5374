/**
 * What jira-warden needs from Jira, independent of Cloud v3 or Data Center v2.
 * Adapters in src/adapters/jira implement it; tests reach it through the sandbox.
 */

export interface JiraStatus {
  id: string
  name: string
}

export interface JiraTransition {
  id: string
  name: string
  to: JiraStatus
  /** Field ids the transition screen requires (e.g. "resolution"). */
  requiredFields: string[]
}

export interface JiraIssueState {
  key: string
  id: string
  projectKey: string
  status: JiraStatus
  /** The transitions available from the current status, for this credential. */
  transitions: JiraTransition[]
}

export interface JiraIdentity {
  accountId: string
  displayName: string
  emailAddress?: string
}

export interface IssueLookup {
  found: JiraIssueState[]
  /** Keys Jira says do not exist or that this credential may not see. */
  missing: string[]
}

export interface TransitionRequest {
  transitionId: string
  /** Field values for the transition screen, already in Jira's shape (e.g. { resolution: { name: "Done" } }). */
  fields?: Record<string, unknown>
  /** Plain text; the adapter folds it into the request as ADF (Cloud) or wiki markup (Data Center). */
  comment?: string
}

export interface JiraPort {
  /** The Jira flavour behind this port, for messages and link building. */
  readonly flavour: 'cloud' | 'data-center'
  /** Browse URL base for links (`${browseUrl}/PROJ-1`); undefined behind the gateway, which has no site to link to. */
  readonly browseUrl: string | undefined
  whoAmI(): Promise<JiraIdentity>
  /** Status and available transitions of all keys in as few requests as Jira allows (one search). */
  readIssues(keys: readonly string[]): Promise<IssueLookup>
  /** One issue, read strongly (not from the search index): used before retrying a write. */
  readIssue(key: string): Promise<JiraIssueState>
  transition(key: string, request: TransitionRequest): Promise<void>
  /** Which of the given permissions the credential holds, in a project or (without one) globally. */
  permissions(permissionKeys: readonly string[], projectKey?: string): Promise<Record<string, boolean>>
  /** Names of the statuses the project's workflows use, over all issue types. */
  projectStatuses(projectKey: string): Promise<string[]>
}
