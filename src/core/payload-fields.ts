/** Reading fields of an untrusted webhook payload without trusting its shape. */

export type PayloadObject = Readonly<Record<string, unknown>>

export function objectAt(value: unknown, ...path: string[]): PayloadObject | undefined {
  let current: unknown = value
  for (const name of path) {
    if (!isObject(current) || !Object.hasOwn(current, name)) return undefined
    current = current[name]
  }
  return isObject(current) ? current : undefined
}

/** A non-blank string, or undefined. */
export function textAt(value: unknown, ...path: string[]): string | undefined {
  const found = valueAt(value, path)
  return typeof found === 'string' && found.trim() !== '' ? found : undefined
}

export function numberAt(value: unknown, ...path: string[]): number | undefined {
  const found = valueAt(value, path)
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined
}

export function flagAt(value: unknown, ...path: string[]): boolean | undefined {
  const found = valueAt(value, path)
  return typeof found === 'boolean' ? found : undefined
}

/** True when the field is present and explicitly null (e.g. a deleted fork's `head.repo`). */
export function isNullAt(value: unknown, ...path: string[]): boolean {
  const parent = objectAt(value, ...path.slice(0, -1))
  const name = path.at(-1)
  return parent !== undefined && name !== undefined && Object.hasOwn(parent, name) && parent[name] === null
}

export function listAt(value: unknown, ...path: string[]): readonly unknown[] {
  const found = valueAt(value, path)
  return Array.isArray(found) ? found : []
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  const parent = objectAt(value, ...path.slice(0, -1))
  const name = path.at(-1)
  if (parent === undefined || name === undefined || !Object.hasOwn(parent, name)) return undefined
  return parent[name]
}

function isObject(value: unknown): value is PayloadObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
