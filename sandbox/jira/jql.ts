/**
 * The part of JQL the action sends: `key in (A-1, "B-2")` (or `issuekey`,
 * `id`, `issue`, with `=` too), optionally `AND project in (...)` and an
 * `ORDER BY`. Keywords are case-insensitive; values may be bare or quoted.
 * Anything else is refused with a 400 in Jira's words, so a client can never
 * believe the sandbox understood a query it did not.
 */

export type JqlField = 'key' | 'project'

export interface JqlClause {
  field: JqlField
  /** The field as written (Jira names it so in its messages). */
  written: string
  values: string[]
}

export interface JqlQuery {
  clauses: JqlClause[]
  order: { field: 'key' | 'created' | 'updated'; direction: 'ASC' | 'DESC' } | undefined
}

export class JqlError extends Error {}

const FIELDS: Record<string, JqlField> = { key: 'key', issuekey: 'key', id: 'key', issue: 'key', project: 'project' }
const ORDER_FIELDS = new Set(['key', 'created', 'updated'])
const JQL_WORDS = new Set(['or', 'not', 'was', 'changed', 'is', 'empty', 'null'])

interface Token {
  text: string
  quoted: boolean
  at: number
}

export function parseJql(jql: string): JqlQuery {
  const tokens = tokenize(jql)
  const parser = new Parser(tokens, jql.length)
  return parser.query()
}

class Parser {
  readonly #tokens: Token[]
  readonly #end: number
  #next = 0

  constructor(tokens: Token[], end: number) {
    this.#tokens = tokens
    this.#end = end
  }

  query(): JqlQuery {
    const clauses: JqlClause[] = []
    if (!this.#peek() || this.#isWord('order')) {
      throw new JqlError('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.')
    }
    clauses.push(this.#clause())
    while (this.#peek() && !this.#isWord('order')) {
      const token = this.#take('AND')
      if (token.text.toLowerCase() !== 'and') {
        if (token.text.toLowerCase() === 'or') unsupported(token)
        fail(`Expecting either 'OR' or 'AND' but got '${token.text}'.`, token)
      }
      clauses.push(this.#clause())
    }
    return { clauses, order: this.#isWord('order') ? this.#orderBy() : undefined }
  }

  #clause(): JqlClause {
    const fieldToken = this.#take('a field name')
    if (fieldToken.text === '(' || JQL_WORDS.has(fieldToken.text.toLowerCase())) unsupported(fieldToken)
    const field = FIELDS[fieldToken.text.toLowerCase()]
    if (!field) {
      throw new JqlError(`Field '${fieldToken.text}' does not exist or you do not have permission to view it.`)
    }
    const operator = this.#take('an operator')
    if (operator.text === '=') return { field, written: fieldToken.text, values: [this.#value()] }
    if (operator.text.toLowerCase() !== 'in') {
      if (['!=', 'not', '~', '>', '<', '>=', '<=', 'is', 'was'].includes(operator.text.toLowerCase())) unsupported(operator)
      fail(`Expecting operator but got '${operator.text}'. The valid operators for '${fieldToken.text}' are '=', '!=', '<=', '>=', '>', '<', 'in' and 'not in'.`, operator)
    }
    const open = this.#take("'('")
    if (open.text !== '(' || open.quoted) fail(`Expecting '(' but got '${open.text}'.`, open)
    const values = [this.#value()]
    for (;;) {
      const token = this.#take("')'")
      if (token.text === ')' && !token.quoted) return { field, written: fieldToken.text, values }
      if (token.text !== ',' || token.quoted) fail(`Expecting ')' but got '${token.text}'.`, token)
      values.push(this.#value())
    }
  }

  #value(): string {
    const token = this.#take('a value')
    if (!token.quoted && ['(', ')', ','].includes(token.text)) {
      fail(`Expecting either a value, list or function but got '${token.text}'.`, token)
    }
    if (!token.quoted && this.#peek()?.text === '(') unsupported(token)
    return token.text
  }

  #orderBy(): JqlQuery['order'] {
    this.#take('ORDER')
    const by = this.#take("'by'")
    if (by.text.toLowerCase() !== 'by') fail(`Expecting 'by' but got '${by.text}'.`, by)
    const field = this.#take('a field name')
    if (!ORDER_FIELDS.has(field.text.toLowerCase())) unsupported(field)
    const direction = this.#peek()
    let order: 'ASC' | 'DESC' = 'ASC'
    if (direction) {
      this.#next += 1
      if (!['asc', 'desc'].includes(direction.text.toLowerCase())) unsupported(direction)
      order = direction.text.toUpperCase() as 'ASC' | 'DESC'
    }
    const extra = this.#peek()
    if (extra) unsupported(extra)
    return { field: field.text.toLowerCase() as 'key' | 'created' | 'updated', direction: order }
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#next]
  }

  #isWord(word: string): boolean {
    const token = this.#peek()
    return token !== undefined && !token.quoted && token.text.toLowerCase() === word
  }

  #take(expected: string): Token {
    const token = this.#tokens[this.#next]
    if (!token) {
      throw new JqlError(`Error in the JQL Query: Expecting ${expected} before the end of the query. (line 1, character ${this.#end + 1})`)
    }
    this.#next += 1
    return token
  }
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < jql.length) {
    const char = jql[at] as string
    if (/\s/.test(char)) {
      at += 1
    } else if (char === '"' || char === "'") {
      const close = jql.indexOf(char, at + 1)
      if (close < 0) {
        throw new JqlError(`Error in the JQL Query: The quoted string '${jql.slice(at + 1)}' has not been completed. (line 1, character ${at + 1})`)
      }
      tokens.push({ text: jql.slice(at + 1, close), quoted: true, at })
      at = close + 1
    } else if ('(),='.includes(char)) {
      tokens.push({ text: char, quoted: false, at })
      at += 1
    } else if ('!<>~'.includes(char)) {
      const text = jql[at + 1] === '=' ? `${char}=` : char
      tokens.push({ text, quoted: false, at })
      at += text.length
    } else {
      const word = /^[^\s(),='"!<>~]+/.exec(jql.slice(at))?.[0] ?? char
      tokens.push({ text: word, quoted: false, at })
      at += word.length
    }
  }
  return tokens
}

function fail(message: string, token: Token): never {
  throw new JqlError(`Error in the JQL Query: ${message} (line 1, character ${token.at + 1})`)
}

/** Valid JQL the sandbox does not model: refused all the same, and saying so. */
function unsupported(token: Token): never {
  fail(`The sandbox does not support '${token.text}' here; it understands key/issuekey/id/project with = or in, joined by AND.`, token)
}
