/**
 * `.github/jira-warden.yml`, read through Probot's config loader (default
 * branch only, `_extends` supported) and validated by the same schema as
 * the action's. The loader hands back parsed YAML, so it is written out
 * again for parseConfig: errors name the field and the fix, and the line
 * numbers refer to the file as loaded.
 */
import { stringify } from 'yaml'
import { parseConfig, type WardenConfig } from '../core/config.ts'
import { ConfigurationError } from '../core/errors.ts'

export const CONFIG_FILE_NAME = 'jira-warden.yml'
export const CONFIG_PATH = `.github/${CONFIG_FILE_NAME}`
/** The file docs/rotation.md names for the rotation workflow. */
export const DEFAULT_ROTATION_WORKFLOW = 'jira-rotate.yml'

export type ConfigReader = (fileName: string) => Promise<unknown>

export type ConfigReading = { ok: true; config: WardenConfig } | { ok: false; problem: string }

export async function loadRepositoryConfig(read: ConfigReader): Promise<ConfigReading> {
  let loaded: unknown
  try {
    loaded = await read(CONFIG_FILE_NAME)
  } catch (error) {
    const status = (error as { status?: unknown }).status
    const why = typeof status === 'number' ? `GitHub answered ${status}` : 'it is not valid YAML'
    return { ok: false, problem: `${CONFIG_PATH} could not be read (${why}); fix the file on the default branch.` }
  }
  try {
    const text = loaded === null || loaded === undefined ? '' : stringify(withoutExtends(loaded))
    return { ok: true, config: parseConfig(text, `${CONFIG_PATH} (as loaded)`) }
  } catch (error) {
    if (error instanceof ConfigurationError) return { ok: false, problem: error.message }
    throw error
  }
}

/** Probot's loader has already followed `_extends`; the key itself is not part of the schema. */
function withoutExtends(loaded: unknown): unknown {
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) return loaded
  const { _extends: _ignored, ...rest } = loaded as Record<string, unknown>
  return rest
}

export function openToWrite(config: WardenConfig): string[] {
  return config.commands?.['open-to-write'] ?? []
}

export function rotationWorkflow(config: WardenConfig): string {
  return config.commands?.workflow ?? DEFAULT_ROTATION_WORKFLOW
}
