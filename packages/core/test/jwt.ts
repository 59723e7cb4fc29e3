/** An unsigned-looking JWT for unit tests of the host SDK, which only decodes tokens. */
export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
export const testJwt = (payload: object = { exp: Math.floor(Date.now() / 1000) + 300 }) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.c2ln`
