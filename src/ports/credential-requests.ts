/**
 * Assisted rotation talks to people: one open request asking the admins to
 * stage the next credential, reminders to revoke what no API can, and the
 * request closed once the new credential is in place. Fingerprints only.
 */
export interface CredentialRequest {
  /** Why now: the age or expiry that made it due, or a refused staged credential. */
  reason: string
  /** Markdown: how to create the credential and stage it. */
  instructions: string
}

export interface CredentialRequests {
  /** Opens the request, or adds the new reason to the one already open. Returns its issue number. */
  open(request: CredentialRequest): Promise<number>
  /** A credential a person must revoke: said in the open request, or in a new one. */
  remind(text: string): Promise<void>
  /** The rotation is done: close the open request, if any, saying so. */
  close(text: string): Promise<void>
}
