import { EmbedTokenError } from '../errors'

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

// C0 and C1 control characters (NUL, tab, newline, escape, …), and the Unicode line / paragraph separators
const LONE_SURROGATE = /\p{Cs}/u
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u

/**
 * Why `value` cannot be a claim string, or `undefined` when it can: a claim string is non-empty, at most
 * `maxLength` characters, well-formed UTF-16 (no lone surrogate: they would all be stored as U+FFFD),
 * without control characters (PostgreSQL refuses NUL), and in Unicode NFC — so two different claimed
 * strings are never stored as one, and one claimed string is never stored as two.
 */
export function textProblem(value: string, maxLength: number): string | undefined {
  if (value.trim() === '') return 'a non-empty string'
  if (value.length > maxLength) return `at most ${maxLength} characters long`
  if (LONE_SURROGATE.test(value)) return 'well-formed Unicode (it holds a lone surrogate)'
  if (CONTROL.test(value)) return 'free of control characters (NUL, newline, tab, …)'
  if (value.normalize('NFC') !== value) return 'in Unicode NFC (normalize it with .normalize("NFC") before signing)'
  return undefined
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** The readers of one kind (required or optional); `Reader` is its own required kind. */
class Readers implements ClaimReaders<never> {
  constructor(
    private readonly parent: Reader | undefined,
    private readonly required: boolean,
  ) {}

  private get root(): Reader {
    return this.parent ?? (this as unknown as Reader)
  }

  private get<T>(name: string, check: (value: unknown) => T): T {
    const { claims } = this.root
    const value = Object.hasOwn(claims, name) ? claims[name] : undefined
    if (value === undefined || value === null) {
      if (this.required) this.root.missing(name)
      return undefined as T
    }
    return check(value)
  }

  string(name: string, rules?: Rules): string {
    return this.get(name, (v) => this.root.checkString(name, v, rules))
  }
  integer(name: string, rules?: NumberRules): number {
    return this.get(name, (v) => this.root.checkNumber(name, v, true, rules))
  }
  number(name: string, rules?: NumberRules): number {
    return this.get(name, (v) => this.root.checkNumber(name, v, false, rules))
  }
  boolean(name: string): boolean {
    return this.get(name, (v) => (typeof v === 'boolean' ? v : this.root.invalid(name, 'true or false', v)))
  }
  oneOf<const T extends string | number>(name: string, values: readonly T[]): T {
    return this.get(name, (v) => (values.includes(v as T) ? (v as T) : this.root.invalid(name, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v)))
  }
  strings(name: string, rules?: Rules & { maxItems?: number }): string[] {
    return this.get(name, (v) => {
      const list = this.root.checkArray(name, v, (item, path) => this.root.checkString(path, item, rules), rules?.maxItems)
      if (new Set(list).size !== list.length) this.root.invalid(name, 'a list without duplicates', v)
      return list
    })
  }
  array<T>(name: string, item: (value: unknown, path: string) => T, rules?: { maxItems?: number }): T[] {
    return this.get(name, (v) => this.root.checkArray(name, v, item, rules?.maxItems))
  }
}

class Reader extends Readers implements ClaimReader {
  readonly optional: ClaimReaders<undefined>

  constructor(
    readonly claims: Claims,
    private readonly profile: string,
  ) {
    super(undefined, true)
    this.optional = new Readers(this, false) as ClaimReaders<undefined>
  }

  invalid(claim: string, mustBe: string, ...got: [] | [unknown]): never {
    const seen = got.length ? ` (got ${show(got[0])})` : ''
    throw new EmbedTokenError('CLAIM_INVALID', `Claim "${claim}" must be ${mustBe}${seen}.`, { claim })
  }

  missing(claim: string, why = `the ${this.profile} profile requires it`): never {
    throw new EmbedTokenError('CLAIM_MISSING', `Claim "${claim}" is missing; ${why}.`, { claim })
  }

  checkString(path: string, value: unknown, { maxLength = 256 }: Rules = {}): string {
    if (typeof value !== 'string') return this.invalid(path, 'a string', value)
    const problem = textProblem(value, maxLength)
    if (problem) return this.invalid(path, problem, value.length > 60 ? `${value.length} characters` : value)
    return value
  }

  checkNumber(path: string, value: unknown, integer: boolean, { min, max }: NumberRules = {}): number {
    const kind = integer ? 'an integer' : 'a number'
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) return this.invalid(path, kind, value)
    if (min !== undefined && value < min) return this.invalid(path, `${kind} of at least ${min}`, value)
    if (max !== undefined && value > max) return this.invalid(path, `${kind} of at most ${max}`, value)
    return value
  }

  checkArray<T>(path: string, value: unknown, item: (v: unknown, p: string) => T, maxItems = 100): T[] {
    if (!Array.isArray(value)) return this.invalid(path, 'an array', value)
    if (value.length > maxItems) return this.invalid(path, `an array of at most ${maxItems} items`, `${value.length} items`)
    return value.map((v, i) => item(v, `${path}[${i}]`))
  }
}

/**
 * A {@link ClaimReader} over `claims`; `profile` names the profile in messages
 * (`Claim "role" is missing; the activepieces-v3 profile requires it.`).
 */
export function readClaims(claims: Claims, profile: string): ClaimReader {
  return new Reader(claims, profile)
}

/** `{ a: 1, b: undefined }` → `{ a: 1 }`: builds objects with optional fields under `exactOptionalPropertyTypes`. */
export function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {}
  for (const key in value) if (value[key] !== undefined) out[key] = value[key]
  return out as { [K in keyof T]?: Exclude<T[K], undefined> }
}
