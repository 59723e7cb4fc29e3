import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { ErrorCode, isErrorCode, deserializeError, serializeError, SsoEmbedError, SDK_VERSION } from './index'

describe('SsoEmbedError', () => {
  test('carries a code, a name and a cause', () => {
    const cause = new Error('root')
    const error = new SsoEmbedError('TOKEN_EXPIRED', 'expired', { cause })
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'SsoEmbedError', code: 'TOKEN_EXPIRED', message: 'expired', cause })
  })

  test('every code is its own name, and isErrorCode knows exactly them', () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(key).toBe(value)
    expect(isErrorCode('BAD_SIGNATURE')).toBe(true)
    expect(isErrorCode('bad_signature')).toBe(false)
    expect(isErrorCode(42)).toBe(false)
  })
})

describe('serialisation across postMessage', () => {
  test('round-trips through structured clone with code and message', () => {
    const wire = structuredClone(serializeError(new SsoEmbedError('ORIGIN_NOT_ALLOWED', 'not registered'), 'EXCHANGE_FAILED'))
    expect(wire).toEqual({ name: 'SsoEmbedError', code: 'ORIGIN_NOT_ALLOWED', message: 'not registered' })
    const back = deserializeError(wire, 'EXCHANGE_FAILED')
    expect(back).toBeInstanceOf(SsoEmbedError)
    expect(back).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', message: 'not registered', cause: wire })
  })

  test('an error without a code gets the fallback, keeping its message', () => {
    expect(serializeError(new TypeError('boom'), 'EXCHANGE_FAILED')).toEqual({ name: 'SsoEmbedError', code: 'EXCHANGE_FAILED', message: 'boom' })
    expect(serializeError('plain string', 'TOKEN_UNAVAILABLE')).toMatchObject({ code: 'TOKEN_UNAVAILABLE', message: 'plain string' })
    expect(serializeError(null, 'TOKEN_UNAVAILABLE')).toMatchObject({ code: 'TOKEN_UNAVAILABLE', message: 'null' })
    expect(serializeError({ code: 'not a code!', message: 'x' }, 'EXCHANGE_FAILED').code).toBe('EXCHANGE_FAILED')
  })

  test("penpal's own failures become our codes", () => {
    expect(deserializeError({ code: 'METHOD_NOT_FOUND', message: 'Method `hello` is not found.' }, 'EXCHANGE_FAILED').code).toBe('PROTOCOL_MISMATCH')
    expect(deserializeError({ code: 'CONNECTION_DESTROYED', message: 'x' }, 'EXCHANGE_FAILED').code).toBe('DESTROYED')
    // any other penpal code is not one of ours: the fallback, with penpal's message
    const transmission = Object.assign(new Error('Cannot send message'), { name: 'PenpalError', code: 'TRANSMISSION_FAILED' })
    expect(deserializeError(transmission, 'EXCHANGE_FAILED')).toMatchObject({ code: 'EXCHANGE_FAILED', message: 'Cannot send message' })
  })

  test('a code newer than this SDK passes through', () => {
    expect(deserializeError({ code: 'SOME_FUTURE_CODE', message: 'x' }, 'EXCHANGE_FAILED').code).toBe('SOME_FUTURE_CODE')
  })

  test('an SsoEmbedError is returned as it is', () => {
    const error = new SsoEmbedError('DESTROYED', 'gone')
    expect(deserializeError(error, 'EXCHANGE_FAILED')).toBe(error)
  })
})

test('SDK_VERSION matches every package version', () => {
  const names = readdirSync(new URL('../../', import.meta.url))
  expect(names).toEqual(expect.arrayContaining(['protocol', 'core', 'frame', 'react', 'vue', 'element', 'server']))
  for (const name of names) {
    const pkg = JSON.parse(readFileSync(new URL(`../../${name}/package.json`, import.meta.url), 'utf8')) as { version: string }
    expect(pkg.version, name).toBe(SDK_VERSION)
  }
})
