/** The results as a terminal table and as Markdown: every figure with its goal and verdict. */
import type { BenchRow, Verdict } from './bench-row.ts'

const VERDICT_MARK: Record<Verdict, string> = { met: 'met', missed: 'MISSED', info: '', 'not measured': 'not measured' }

export function terminalTable(rows: readonly BenchRow[]): string {
  const headers = ['measure', 'figure', 'goal', 'verdict']
  const cells = rows.map((row) => [row.measure, row.shown, row.goal, VERDICT_MARK[row.verdict]])
  const widths = headers.map((header, column) => Math.min(70, Math.max(header.length, ...cells.map((cell) => (cell[column] ?? '').length))))
  const line = (values: readonly string[]) => values.map((value, column) => value.padEnd(widths[column] ?? 0)).join('  ').trimEnd()
  const out: string[] = []
  let section = ''
  for (const [index, row] of rows.entries()) {
    if (row.section !== section) {
      section = row.section
      out.push('', `── ${section} ${'─'.repeat(Math.max(0, widths.reduce((sum, width) => sum + width + 2, 0) - section.length - 4))}`, line(headers))
    }
    out.push(line(cells[index] ?? []))
  }
  return out.join('\n')
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|')
  const out = ['| | measure | figure | goal | verdict | note |', '| --- | --- | --- | --- | --- | --- |']
  for (const row of rows) {
    const verdict = row.verdict === 'missed' ? '**missed**' : VERDICT_MARK[row.verdict]
    out.push(`| ${row.section} | ${escape(row.measure)} | ${escape(row.shown)} | ${escape(row.goal)} | ${verdict} | ${escape(row.note ?? '')} |`)
  }
  return out.join('\n')
}
