/** A length of time: a number of seconds, or a string such as `"90s"`, `"5m"`, `"1h"`, `"8h"`, `"1d"`. */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd'}` | `${number}`

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** Seconds in `value`; a TypeError names the option when it is not a positive duration. */
export function toSeconds(value: Duration | string, option: string): number {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(value.trim()) : null
  const seconds = typeof value === 'number' ? value : match ? Number(match[1]) * units[match[2] || 's']! : Number.NaN
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new TypeError(`${option} must be a positive number of seconds or a duration like "60s", "5m", "1h" (got ${JSON.stringify(value)})`)
  }
  return seconds
}

/** `300` → `"5m"`, `3600` → `"1h"`, `90` → `"90s"`: for messages. */
export function formatSeconds(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}
