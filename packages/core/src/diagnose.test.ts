import { REFUSAL } from '@sso-embed/protocol'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { diagnoseTimeout, opaqueHost, watchFrame } from './diagnose'
import { validateOptions } from './options'

const origin = 'https://platform.example'
const options = validateOptions({ instanceUrl: `${origin}/embed`, container: '#x', token: 't', timeout: 500 })

function violation(effectiveDirective: string, blockedURI: string) {
  return Object.assign(new Event('securitypolicyviolation'), { effectiveDirective, violatedDirective: 'default-src', blockedURI })
}

describe('watchFrame', () => {
  let stop = () => {}
  afterEach(() => {
    stop()
    document.body.replaceChildren()
  })

  test("a CSP violation for the platform's frame is FRAME_BLOCKED_BY_CSP naming frame-src; others are not", () => {
    const fail = vi.fn()
    stop = watchFrame(document.createElement('iframe'), origin, fail)
    document.dispatchEvent(violation('script-src', `${origin}/x.js`))
    document.dispatchEvent(violation('frame-src', 'https://other.example/embed'))
    expect(fail).not.toHaveBeenCalled()
    document.dispatchEvent(violation('frame-src', `${origin}/embed/`))
    expect(fail).toHaveBeenCalledOnce()
    expect(fail.mock.calls[0]![0]).toMatchObject({ code: 'FRAME_BLOCKED_BY_CSP', message: expect.stringContaining(`add ${origin} to frame-src`) })
  })

  test("the frame's refusal is ORIGIN_NOT_ALLOWED, only from the iframe's window at the platform's origin", () => {
    const iframe = document.createElement('iframe')
    document.body.append(iframe)
    const fail = vi.fn()
    stop = watchFrame(iframe, origin, fail)
    const data = { type: REFUSAL, code: 'ORIGIN_NOT_ALLOWED' }
    dispatchEvent(new MessageEvent('message', { data, origin: 'https://evil.example', source: iframe.contentWindow }))
    dispatchEvent(new MessageEvent('message', { data, origin, source: window }))
    dispatchEvent(new MessageEvent('message', { data: { type: 'other' }, origin, source: iframe.contentWindow }))
    expect(fail).not.toHaveBeenCalled()
    dispatchEvent(new MessageEvent('message', { data, origin, source: iframe.contentWindow }))
    expect(fail.mock.calls[0]![0]).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', message: expect.stringContaining(`does not allow ${globalThis.origin}`) })
  })

  test('the cleanup removes both listeners', () => {
    const fail = vi.fn()
    watchFrame(document.createElement('iframe'), origin, fail)()
    document.dispatchEvent(violation('frame-src', `${origin}/embed/`))
    expect(fail).not.toHaveBeenCalled()
  })
})

test('diagnoseTimeout tells a frame that never loaded from one that loaded and never greeted', () => {
  expect(diagnoseTimeout(options, false).message).toMatch(/never loaded https:\/\/platform\.example in 500 ms.*unreachable/)
  expect(diagnoseTimeout(options, true).message).toMatch(/loaded .* but nothing greeted in 500 ms.*frame-ancestors.*connectToHost\(\)/)
  expect(diagnoseTimeout(options, true).code).toBe('HANDSHAKE_TIMEOUT')
})

test('opaqueHost is HOST_ORIGIN_OPAQUE only for a "null" origin (the document\'s, by default)', () => {
  expect(opaqueHost()).toBeUndefined()
  expect(opaqueHost('https://app.example')).toBeUndefined()
  expect(opaqueHost('null')).toMatchObject({ code: 'HOST_ORIGIN_OPAQUE', message: expect.stringContaining('allow-same-origin') })
})
