/**
 * The Jira port over jira.js: Cloud (REST v3, site URL or the scoped-token
 * gateway, Basic or OAuth Bearer) and Data Center (REST v2, Bearer PAT).
 */
import { AuthenticationError } from '../../core/errors.ts'
import type { IssueLookup, JiraIdentity, JiraIssueState, JiraPort, TransitionRequest } from '../../ports/jira.ts'
import { flavourOf, type JiraAuth, type JiraFlavour } from './jira-auth.ts'
import {
  cloudSearchAnswer,
  dataCenterSearchAnswer,
  identityAnswer,
  issueAnswer,
  keysJiraCannotSee,
  permissionsAnswer,
  projectStatusesAnswer,
  toIssueState,
} from './issue-answer.ts'
import { gatewayCloudId, isLoopbackHost } from './jira-url.ts'
import { createJiraTransport, DEFAULT_RETRY, JiraRequestRefused, type JiraTransport, type RetryPolicy } from './jira-transport.ts'
import { exchangeClientCredentials, lookUpCloudId } from './oauth-client-credentials.ts'

export interface JiraConnectionSettings {
  url: URL
  auth: JiraAuth
  timeoutMs?: number
  retry?: RetryPolicy
  /** Told every derived secret (an OAuth access token) before it is used, so the host can mask it. */
  onSecret?: (secret: string) => void
  onWait?: (waitMs: number, reason: string) => void
}

/** Ask for every key in one page; Jira may still answer in smaller pages (Cloud caps at 5000, Data Center at 1000 by default). */
const MAX_PAGE_SIZE = { cloud: 5000, 'data-center': 1000 } as const
const ISSUE_FIELDS = ['status', 'project']

export async function connectJira(settings: JiraConnectionSettings): Promise<JiraPort> {
  const timeoutMs = settings.timeoutMs ?? 30_000
  const flavour = flavourOf(settings.auth)
  const { baseUrl, authorization } = await resolveEndpoint(settings, timeoutMs)
  const transport = createJiraTransport({
    baseUrl,
    authorization,
    timeoutMs,
    retry: settings.retry ?? DEFAULT_RETRY,
    ...(settings.onWait ? { onWait: settings.onWait } : {}),
  })
  return new JiraRestPort(transport, flavour, browseUrlOf(settings.url))
}

async function resolveEndpoint(settings: JiraConnectionSettings, timeoutMs: number) {
  const { auth, url } = settings
  if (auth.kind === 'api-token') {
    return { baseUrl: url.href, authorization: { type: 'basic' as const, email: auth.email, apiToken: auth.apiToken } }
  }
  if (auth.kind === 'pat') return { baseUrl: url.href, authorization: { type: 'bearer' as const, token: auth.token } }
  // Loopback (the sandbox) serves the Atlassian identity endpoints itself.
  const atlassian = isLoopbackHost(url.hostname) ? url.origin : undefined
  const tokenUrl = `${atlassian ?? 'https://auth.atlassian.com'}/oauth/token`
  const accessToken = await exchangeClientCredentials(tokenUrl, auth.clientId, auth.clientSecret, timeoutMs)
  settings.onSecret?.(accessToken)
  const cloudId = gatewayCloudId(url) ?? (await lookUpCloudId(url, timeoutMs))
  const baseUrl = gatewayCloudId(url) ? url.href : `${atlassian ?? 'https://api.atlassian.com'}/ex/jira/${cloudId}`
  return { baseUrl, authorization: { type: 'bearer' as const, token: accessToken } }
}

/** Links to issues need the site; the gateway form has none to link to. */
function browseUrlOf(url: URL): string | undefined {
  return gatewayCloudId(url) ? undefined : `${url.href.replace(/\/$/, '')}/browse`
}

class JiraRestPort implements JiraPort {
  readonly flavour: JiraFlavour
  readonly browseUrl: string | undefined
  readonly #transport: JiraTransport
  readonly #api: string

  constructor(transport: JiraTransport, flavour: JiraFlavour, browseUrl: string | undefined) {
    this.#transport = transport
    this.flavour = flavour
    this.browseUrl = browseUrl
    this.#api = flavour === 'cloud' ? '/rest/api/3' : '/rest/api/2'
  }

  async whoAmI(): Promise<JiraIdentity> {
    const me = await this.#transport.send({ method: 'GET', url: `${this.#api}/myself`, schema: identityAnswer, retry: true })
    return {
      accountId: me.accountId ?? me.key ?? me.name ?? 'unknown',
      displayName: me.displayName ?? me.name ?? 'unknown',
      ...(me.emailAddress ? { emailAddress: me.emailAddress } : {}),
    }
  }

  /**
   * One search for all keys. Cloud's /search/jql answers 200 and leaves out
   * keys that do not exist or are hidden; Data Center (and Cloud's older
   * search) answers 400 naming them, so those are set aside and the rest
   * searched again: a missing key costs one request, not one per key.
   */
  async readIssues(keys: readonly string[]): Promise<IssueLookup> {
    const refused: string[] = []
    let remaining = [...keys]
    while (remaining.length > 0) {
      try {
        const found = await this.#searchAll(remaining)
        const foundKeys = new Set(found.map((issue) => issue.key))
        const missing = [...refused, ...remaining.filter((key) => !foundKeys.has(key))]
        await this.#checkNotAnonymous(missing, found)
        return { found, missing }
      } catch (error) {
        const unseen = error instanceof JiraRequestRefused && error.status === 400 ? keysJiraCannotSee(error.messages) : []
        const unseenSet = new Set(unseen)
        if (unseen.length === 0 || !remaining.some((key) => unseenSet.has(key))) throw error
        refused.push(...remaining.filter((key) => unseenSet.has(key)))
        remaining = remaining.filter((key) => !unseenSet.has(key))
      }
    }
    await this.#checkNotAnonymous(refused, [])
    return { found: [], missing: refused }
  }

  /** Data Center treats an unknown PAT as anonymous, which sees nothing: ask who we are before blaming the keys. */
  async #checkNotAnonymous(missing: string[], found: JiraIssueState[]): Promise<void> {
    if (this.flavour !== 'data-center' || missing.length === 0 || found.length > 0) return
    await this.whoAmI().catch((error: unknown) => {
      if (error instanceof AuthenticationError) {
        throw new AuthenticationError(
          'Jira treated the personal access token as anonymous (Data Center does this for unknown, expired or revoked tokens). Rotate it (`/warden rotate`, or the rotate action with command: rotate) or update the secret.',
        )
      }
      throw error
    })
  }

  async #searchAll(keys: readonly string[]): Promise<JiraIssueState[]> {
    const jql = `key in (${keys.join(', ')})`
    const issues: JiraIssueState[] = []
    const maxResults = Math.min(keys.length, MAX_PAGE_SIZE[this.flavour])
    if (this.flavour === 'cloud') {
      let nextPageToken: string | undefined
      do {
        const page = await this.#transport.send({
          method: 'POST',
          url: '/rest/api/3/search/jql',
          body: { jql, fields: ISSUE_FIELDS, expand: 'transitions.fields', maxResults, ...(nextPageToken ? { nextPageToken } : {}) },
          schema: cloudSearchAnswer,
          retry: true,
        })
        issues.push(...page.issues.map(toIssueState))
        nextPageToken = page.nextPageToken ?? undefined
      } while (nextPageToken)
      return issues
    }
    for (;;) {
      const startAt = issues.length
      const page = await this.#transport.send({
        method: 'POST',
        url: '/rest/api/2/search',
        body: { jql, fields: ISSUE_FIELDS, expand: ['transitions.fields'], maxResults, startAt },
        schema: dataCenterSearchAnswer,
        retry: true,
      })
      issues.push(...page.issues.map(toIssueState))
      if (page.issues.length === 0 || startAt + page.issues.length >= (page.total ?? 0)) return issues
    }
  }

  async readIssue(key: string): Promise<JiraIssueState> {
    const issue = await this.#transport.send({
      method: 'GET',
      url: `${this.#api}/issue/${encodeURIComponent(key)}`,
      searchParams: { fields: ISSUE_FIELDS.join(','), expand: 'transitions.fields' },
      schema: issueAnswer,
      retry: true,
    })
    return toIssueState(issue)
  }

  async transition(key: string, request: TransitionRequest): Promise<void> {
    const comment = request.comment ? [{ add: { body: this.#commentBody(request.comment) } }] : undefined
    await this.#transport.send({
      method: 'POST',
      url: `${this.#api}/issue/${encodeURIComponent(key)}/transitions`,
      body: {
        transition: { id: request.transitionId },
        ...(request.fields && Object.keys(request.fields).length > 0 ? { fields: request.fields } : {}),
        ...(comment ? { update: { comment } } : {}),
      },
      retry: false,
    })
  }

  async permissions(permissionKeys: readonly string[], projectKey?: string): Promise<Record<string, boolean>> {
    const answer = await this.#transport.send({
      method: 'GET',
      url: `${this.#api}/mypermissions`,
      searchParams: { permissions: permissionKeys.join(','), ...(projectKey ? { projectKey } : {}) },
      schema: permissionsAnswer,
      retry: true,
    })
    return Object.fromEntries(permissionKeys.map((key) => [key, answer.permissions[key]?.havePermission === true]))
  }

  async projectStatuses(projectKey: string): Promise<string[]> {
    const answer = await this.#transport.send({
      method: 'GET',
      url: `${this.#api}/project/${encodeURIComponent(projectKey)}/statuses`,
      schema: projectStatusesAnswer,
      retry: true,
    })
    return [...new Set(answer.flatMap((issueType) => issueType.statuses.map((status) => status.name)))]
  }

  /** Cloud v3 takes Atlassian Document Format; Data Center v2 takes wiki markup. */
  #commentBody(text: string): unknown {
    if (this.flavour === 'data-center') return text
    return {
      type: 'doc',
      version: 1,
      content: text.split('\n').map((line) => ({
        type: 'paragraph',
        content: line ? [{ type: 'text', text: line }] : [],
      })),
    }
  }
}
