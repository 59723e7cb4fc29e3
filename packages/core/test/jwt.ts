/** An unsigned-looking JWT for unit tests of the host SDK, which only decodes tokens. */
export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
// each one unique (jti): the host SDK never hands the same token out twice
export const testJwt = (payload: object = { exp: Math.floor(Date.now() / 1000) + 300, jti: Math.random().toString(36).slice(2) }) =>
  `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.c2ln`
