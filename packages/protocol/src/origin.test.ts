import { expect, test } from 'vitest'
import { isExactOrigin } from './origin'

test('isExactOrigin accepts scheme, host and port only', () => {
  for (const origin of ['https://app.example.com', 'http://localhost:5173', 'http://127.0.0.1:8080']) expect(isExactOrigin(origin)).toBe(true)
  for (const value of [
    'https://app.example.com/',
    'https://app.example.com/path',
    '*',
    'https://*.example.com',
    'app.example.com',
    'null',
    'file:///tmp/x',
    'HTTPS://APP.EXAMPLE.COM',
    '',
    42,
    undefined,
  ]) {
    expect(isExactOrigin(value), String(value)).toBe(false)
  }
})
