/** The one reply per command: a mark, the command, the requester, then the result. */
export function replyBody(ok: boolean, line: string, requester: string, body: string): string {
  return `${ok ? '✅' : '❌'} \`${line.replace(/`/g, '')}\` for @${requester}\n\n${body}`
}

export function refusalBody(line: string, requester: string, reason: string): string {
  return replyBody(
    false,
    line,
    requester,
    `Sorry, I can't do that for you: ${reason}. Ask a repository admin to run it; this refusal is recorded on the audit trail.`,
  )
}
