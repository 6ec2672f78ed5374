/** What a provider call produced, as the text a leak scan reads: the result, or the error's message and stack. */
export interface ProviderOutcome<T> {
  result?: T
  error?: Error
  written: string[]
}

export async function outcomeOf<T>(work: Promise<T>): Promise<ProviderOutcome<T>> {
  try {
    const result = await work
    return { result, written: [JSON.stringify(result)] }
  } catch (error) {
    const failure = error as Error
    return { error: failure, written: [failure.message, String(failure.stack)] }
  }
}
