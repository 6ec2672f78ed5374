/**
 * RELIABILITY.md's leak scan: a secret may not appear in anything the
 * program wrote, in any of the forms it could take on the way out.
 */
import { expect } from 'vitest'

export interface ScannedSecret {
  secret: string
  /** For Basic auth: the user half of `user:secret`. */
  user?: string
}

export function leakFormsOf({ secret, user }: ScannedSecret): Array<{ form: string; value: string }> {
  const forms = [
    { form: 'raw', value: secret },
    { form: 'base64', value: Buffer.from(secret).toString('base64') },
    { form: 'url-encoded', value: encodeURIComponent(secret) },
    { form: 'json-escaped', value: JSON.stringify(secret).slice(1, -1) },
  ]
  if (user !== undefined) forms.push({ form: 'base64(user:secret)', value: Buffer.from(`${user}:${secret}`).toString('base64') })
  return forms
}

/** Names the leaked forms, never their values, so a failing test does not print the secret either. */
export function expectNoLeaks(written: readonly string[], secrets: readonly ScannedSecret[]): void {
  const haystack = written.join('\n')
  const hits = secrets.flatMap((secret, index) =>
    leakFormsOf(secret)
      .filter(({ value }) => value.length >= 8 && haystack.includes(value))
      .map(({ form }) => `secret #${index + 1} (${form})`),
  )
  expect(hits, 'secret material found in program output').toEqual([])
}
