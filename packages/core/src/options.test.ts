import { describe, expect, test } from 'vitest'
import { validateOptions } from './options'

const base = { instanceUrl: 'https://app.example.com/embed', container: '#embed', token: 'x' }

describe('validateOptions', () => {
  test('applies defaults', () => {
    expect(validateOptions(base)).toEqual({ ...base, path: '/', transport: 'postMessage', autoResize: true, minHeight: 150, timeout: 10_000 })
  })

  test.each([
    [{ ...base, instanceUrl: 'app.example.com' }, 'instanceUrl must be an http(s) URL'],
    [{ ...base, instanceUrl: 'ftp://app.example.com' }, 'instanceUrl must be'],
    [{ ...base, instanceUrl: 'https://app.example.com/?a=1' }, 'instanceUrl must be'],
    [{ ...base, container: 42 }, 'container must be an element or selector'],
    [{ ...base, path: 'flows' }, 'path must be a path starting with /'],
    [{ ...base, token: 12 }, 'token must be a JWT string'],
    [{ ...base, getToken: 'nope' }, 'getToken must be a function'],
    [{ ...base, transport: 'websocket' }, 'transport must be "postMessage", "query" or "fragment"'],
    [{ ...base, minHeight: -1 }, 'minHeight must be a number ≥ 0'],
    [{ ...base, timeout: 0 }, 'timeout must be a number > 0'],
    [{ ...base, autoResize: 'yes' }, 'autoResize must be a boolean'],
    [{ ...base, theme: 3 }, 'theme must be a string or an object'],
    [{ ...base, instanceURL: 'https://typo' }, 'unknown option "instanceURL"'],
    [{ container: '#embed', token: 'x' }, 'instanceUrl is required'],
    [{ instanceUrl: 'https://a.example', token: 'x' }, 'container is required'],
    [{ instanceUrl: 'https://a.example', container: '#e' }, 'token, getToken or tokenUrl is required'],
    [null, 'options must be an object'],
  ])('refuses %j with a TypeError', (options, message) => {
    expect(() => validateOptions(options as never)).toThrow(TypeError)
    expect(() => validateOptions(options as never)).toThrow(message)
  })

  test('accepts getToken or tokenUrl instead of token, and an element as container', () => {
    const element = document.createElement('div')
    expect(() => validateOptions({ instanceUrl: 'http://127.0.0.1:5174', container: element, getToken: async () => 'x' })).not.toThrow()
    expect(() => validateOptions({ instanceUrl: 'http://127.0.0.1:5174', container: '#e', tokenUrl: '/api/token' })).not.toThrow()
  })

  test('names the caller in the message', () => {
    expect(() => validateOptions({ ...base, locale: 1 } as never, 'update()')).toThrow('update(): locale must be a string')
  })
})
