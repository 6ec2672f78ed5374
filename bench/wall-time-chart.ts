/** bench/action-wall-time.svg: the action's wall time against the number of keys, beside the round-trip floor. Hand-written SVG, no dependency. */
import type { ActionFigures } from './action-rows.ts'
import { WALL_FLOOR_GOAL } from './action-rows.ts'

const WIDTH = 760
const HEIGHT = 420
const MARGIN = { left: 70, right: 230, top: 40, bottom: 50 }

interface Series {
  name: string
  color: string
  dash?: string
  points: Array<{ keys: number; ms: number }>
}

export function wallTimeChart(figures: readonly ActionFigures[], coldStartMs: number, latencyMs: number): string {
  // Key counts only: the no-key run reads commits instead, another kind of work.
  const measured = figures.filter((figure) => figure.keys > 0).sort((a, b) => a.keys - b.keys)
  const series: Series[] = [
    { name: 'action wall time (median)', color: '#d1495b', points: measured.map((figure) => ({ keys: figure.keys, ms: figure.wallMs })) },
    { name: `goal: ${WALL_FLOOR_GOAL} × floor`, color: '#edae49', dash: '6 4', points: measured.map((figure) => ({ keys: figure.keys, ms: WALL_FLOOR_GOAL * figure.floorMs })) },
    { name: 'floor + cold start', color: '#66a182', dash: '2 3', points: measured.map((figure) => ({ keys: figure.keys, ms: figure.floorMs + coldStartMs })) },
    { name: 'round-trip floor', color: '#00798c', points: measured.map((figure) => ({ keys: figure.keys, ms: figure.floorMs })) },
  ]
  const maxKeys = Math.max(1, ...measured.map((figure) => figure.keys))
  const maxMs = niceCeiling(Math.max(1, ...series.flatMap((line) => line.points.map((point) => point.ms))))
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (keys: number) => MARGIN.left + (keys / maxKeys) * plotWidth
  const y = (value: number) => MARGIN.top + plotHeight - (value / maxMs) * plotHeight

  const parts: string[] = []
  for (let step = 0; step <= 5; step += 1) {
    const value = (maxMs / 5) * step
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`)
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end">${Math.round(value)}</text>`)
  }
  for (const figure of measured) {
    parts.push(`<line x1="${x(figure.keys)}" x2="${x(figure.keys)}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 5}" stroke="#333"/>`)
    parts.push(`<text x="${x(figure.keys)}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle">${figure.keys}</text>`)
  }
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`)
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`)
  series.forEach((line, index) => {
    const path = line.points.map((point) => `${x(point.keys).toFixed(1)},${y(point.ms).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${path}" fill="none" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''}/>`)
    for (const point of line.points) parts.push(`<circle cx="${x(point.keys).toFixed(1)}" cy="${y(point.ms).toFixed(1)}" r="3" fill="${line.color}"/>`)
    const legendY = MARGIN.top + 10 + index * 22
    const legendX = MARGIN.left + plotWidth + 16
    parts.push(`<line x1="${legendX}" x2="${legendX + 22}" y1="${legendY}" y2="${legendY}" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''}/>`)
    parts.push(`<text x="${legendX + 28}" y="${legendY + 4}">${escapeXml(line.name)}</text>`)
  })
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">issue keys in the event</text>`)
  parts.push(`<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">ms</text>`)
  parts.push(`<text x="${MARGIN.left}" y="24" font-size="14" font-weight="bold">Transition action: wall time against keys (${latencyMs} ms per request)</text>`)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value) return step * magnitude
  return 10 * magnitude
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
