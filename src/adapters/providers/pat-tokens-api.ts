/**
 * Jira Data Center's personal access token REST API (/rest/pat/latest/tokens,
 * test/contract/specs/jira-dc-pat.contract-notes.json), called with a PAT. JSON
 * requests are not subject to Jira's XSRF check, so no X-Atlassian-Token.
 */
import { z } from 'zod'
import { AuthenticationError, NotFoundError, PermissionError } from '../../core/errors.ts'
import { createJiraTransport, DEFAULT_RETRY, type JiraTransport } from '../jira/jira-transport.ts'
import type { ProviderSettings } from './provider-settings.ts'

const PATH = '/rest/pat/latest/tokens'

const listedPat = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string().optional(),
  expiringAt: z.string().optional(),
  lastAccessedAt: z.string().optional(),
})
const createdPat = listedPat.extend({ rawToken: z.string().min(1) })

export type ListedPat = z.output<typeof listedPat>
export type CreatedPat = z.output<typeof createdPat>

export interface PatTokensApi {
  create(name: string, expirationDays: number): Promise<CreatedPat>
  list(): Promise<ListedPat[]>
  /** False when Jira has no such token (already revoked or never there). */
  remove(id: string): Promise<boolean>
}

export function patTokensApi(settings: ProviderSettings, pat: string): PatTokensApi {
  const transport: JiraTransport = createJiraTransport({
    baseUrl: settings.jiraUrl.href,
    authorization: { type: 'bearer', token: pat },
    timeoutMs: settings.timeoutMs ?? 30_000,
    retry: settings.retry ?? DEFAULT_RETRY,
  })
  return {
    create: (name, expirationDays) =>
      // Never retried: a repeated POST would mint a second token (an orphan is found by its name instead).
      transport.send({ method: 'POST', url: PATH, body: { name, expirationDuration: expirationDays }, schema: createdPat, retry: false }).catch(explain),
    list: () => transport.send({ method: 'GET', url: PATH, schema: z.array(listedPat), retry: true }).catch(explain),
    async remove(id) {
      try {
        await transport.send({ method: 'DELETE', url: `${PATH}/${encodeURIComponent(id)}`, retry: true })
        return true
      } catch (error) {
        if (error instanceof NotFoundError) return false
        return explain(error)
      }
    },
  }
}

/** Jira's own messages say "rotate it"; on the PAT API the fix is about the managing PAT itself. */
function explain(error: unknown): never {
  if (error instanceof AuthenticationError) {
    throw new AuthenticationError(
      'Jira treated the managing personal access token (current-credential) as anonymous on /rest/pat/latest/tokens: it is expired, revoked or wrong. Create a PAT in Jira (Profile > Personal Access Tokens), store it in the secret, and run the rotation again.',
    )
  }
  if (error instanceof PermissionError) {
    throw new PermissionError(
      'Jira refused to let the personal access token manage personal access tokens (403). Some Jira instances allow only a signed-in user or basic auth here; ask a Jira admin, or create the PAT by hand and stage it.',
    )
  }
  throw error
}
