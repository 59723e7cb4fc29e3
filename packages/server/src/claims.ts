import { EmbedTokenError } from './errors'

/** A token's payload: a JSON object. */
export type Claims = Readonly<Record<string, unknown>>

interface Rules {
  /** longest string accepted (default 256) */
  maxLength?: number
}
interface NumberRules {
  min?: number
  max?: number
}

/** Reads claims of one kind; `required` readers throw CLAIM_MISSING for an absent (or `null`) claim. */
export interface ClaimReaders<Absent> {
  string(name: string, rules?: Rules): string | Absent
  /** An integer (a JSON number without a fraction). */
  integer(name: string, rules?: NumberRules): number | Absent
  number(name: string, rules?: NumberRules): number | Absent
  boolean(name: string): boolean | Absent
  oneOf<const T extends string | number>(name: string, values: readonly T[]): T | Absent
  /** An array of non-empty strings, duplicates refused. */
  strings(name: string, rules?: Rules & { maxItems?: number }): string[] | Absent
  /** An array whose items `item` reads (it receives the item and the claim path, e.g. `grant_access[2]`). */
  array<T>(name: string, item: (value: unknown, path: string) => T, rules?: { maxItems?: number }): T[] | Absent
}

/** Typed, coded access to a token's claims, for built-in and custom claim profiles. */
export interface ClaimReader extends ClaimReaders<never> {
  readonly optional: ClaimReaders<undefined>
  /** The raw claims. */
  readonly claims: Claims
  /** Throws CLAIM_INVALID for `claim` with a message saying what it must be. */
  invalid(claim: string, mustBe: string, ...got: [] | [unknown]): never
  /** Throws CLAIM_MISSING for `claim`. */
  missing(claim: string, why?: string): never
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * A {@link ClaimReader} over `claims`; `profile` names the profile in messages
 * (`Claim "role" is missing; the activepieces-v3 profile requires it.`).
 */
export function readClaims(claims: Claims, profile: string): ClaimReader {
  const invalid = (claim: string, mustBe: string, ...got: [] | [unknown]): never => {
    const seen = got.length ? ` (got ${show(got[0])})` : ''
    throw new EmbedTokenError('CLAIM_INVALID', `Claim "${claim}" must be ${mustBe}${seen}.`, { claim })
  }
  const missing = (claim: string, why = `the ${profile} profile requires it`): never => {
    throw new EmbedTokenError('CLAIM_MISSING', `Claim "${claim}" is missing; ${why}.`, { claim })
  }

  const checkString = (path: string, value: unknown, { maxLength = 256 }: Rules = {}): string => {
    if (typeof value !== 'string') return invalid(path, 'a string', value)
    if (value.trim() === '') return invalid(path, 'a non-empty string', value)
    if (value.length > maxLength) return invalid(path, `at most ${maxLength} characters long`, `${value.length} characters`)
    return value
  }
  const checkNumber = (path: string, value: unknown, integer: boolean, { min, max }: NumberRules = {}): number => {
    const kind = integer ? 'an integer' : 'a number'
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) return invalid(path, kind, value)
    if (min !== undefined && value < min) return invalid(path, `${kind} of at least ${min}`, value)
    if (max !== undefined && value > max) return invalid(path, `${kind} of at most ${max}`, value)
    return value
  }
  const checkArray = <T>(path: string, value: unknown, item: (v: unknown, p: string) => T, maxItems = 100): T[] => {
    if (!Array.isArray(value)) return invalid(path, 'an array', value)
    if (value.length > maxItems) return invalid(path, `an array of at most ${maxItems} items`, `${value.length} items`)
    return value.map((v, i) => item(v, `${path}[${i}]`))
  }

  const readers = <Absent>(absent: (name: string) => Absent): ClaimReaders<Absent> => {
    const get = <T>(name: string, check: (value: unknown) => T): T | Absent => {
      const value = Object.hasOwn(claims, name) ? claims[name] : undefined
      return value === undefined || value === null ? absent(name) : check(value)
    }
    return {
      string: (name, rules) => get(name, (v) => checkString(name, v, rules)),
      integer: (name, rules) => get(name, (v) => checkNumber(name, v, true, rules)),
      number: (name, rules) => get(name, (v) => checkNumber(name, v, false, rules)),
      boolean: (name) => get(name, (v) => (typeof v === 'boolean' ? v : invalid(name, 'true or false', v))),
      oneOf: (name, values) =>
        get(name, (v) => (values.includes(v as never) ? (v as (typeof values)[number]) : invalid(name, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v))),
      strings: (name, rules) =>
        get(name, (v) => {
          const list = checkArray(name, v, (item, path) => checkString(path, item, rules), rules?.maxItems)
          if (new Set(list).size !== list.length) invalid(name, 'a list without duplicates', v)
          return list
        }),
      array: (name, item, rules) => get(name, (v) => checkArray(name, v, item, rules?.maxItems)),
    }
  }

  return {
    ...readers<never>((name) => missing(name)),
    optional: readers(() => undefined),
    claims,
    invalid,
    missing,
  }
}

/** `{ a: 1, b: undefined }` → `{ a: 1 }`: builds objects with optional fields under `exactOptionalPropertyTypes`. */
export function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
}
