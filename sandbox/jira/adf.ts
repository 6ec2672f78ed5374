/** Atlassian Document Format, as far as comments need it: REST v3 speaks ADF, v2 and Data Center speak wiki markup. */

export interface AdfDocument {
  type: 'doc'
  version: 1
  content: unknown[]
}

export function isAdfDocument(value: unknown): value is AdfDocument {
  if (typeof value !== 'object' || value === null) return false
  const doc = value as Partial<AdfDocument>
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content)
}

export function textToAdf(text: string): AdfDocument {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })),
  }
}

/** The plain text of an ADF document: text nodes joined, one line per block. */
export function adfToText(doc: AdfDocument): string {
  return doc.content.map((block) => textOf(block)).join('\n')
}

function textOf(node: unknown): string {
  if (typeof node !== 'object' || node === null) return ''
  const { text, content } = node as { text?: unknown; content?: unknown }
  if (typeof text === 'string') return text
  return Array.isArray(content) ? content.map(textOf).join('') : ''
}

/** A stored comment body as the requested API version shows it. */
export function bodyForApi(body: unknown, apiVersion: '2' | '3'): unknown {
  if (apiVersion === '3') return isAdfDocument(body) ? body : textToAdf(String(body))
  return isAdfDocument(body) ? adfToText(body) : body
}

export function plainText(body: unknown): string {
  return isAdfDocument(body) ? adfToText(body) : String(body)
}
