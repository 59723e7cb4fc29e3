// The playground is safe to run on a developer's machine: its admin API answers only the admin page of
// this run (Host, Origin, JSON bodies, the admin secret of the banner's link), the admin page cannot be
// framed, and the demo host's token routes answer only its own pages. In real Chromium and over HTTP.
import { mkdirSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateHostKey } from '../playground/keys'
import { adminFetch } from '../playground/platform/admin'
import { browserAndStack } from './harness'

const env = browserAndStack()
const shots = 'test-results/playground'
/** A page of another site the developer visits: http://localhost:OTHER (the platform is on 127.0.0.1). */
let elsewhere: Server
let elsewhereOrigin: string

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  elsewhere = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Another site</title><p>Just a page.'))
  await new Promise<void>((resolve) => elsewhere.listen(0, 'localhost', resolve))
  elsewhereOrigin = `http://localhost:${(elsewhere.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => elsewhere?.close(resolve)))

const access = () => ({ origin: env.stack.platform.origin, secret: env.stack.platform.adminSecret })
const kids = async () => ((await (await adminFetch(access(), '/admin/api/keys')).json()) as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid)

/** A raw HTTP request (any Host header, any body; an undefined header is left out): its status and JSON body. */
function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string | undefined>; body?: string } = {},
): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined))
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : {} }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

/** The admin API's answer to a request that has everything right (secret, Origin, JSON) but for `init.headers`. */
function admin(path: string, init: { headers?: Record<string, string | undefined>; body?: unknown } = {}) {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body)
  const headers = {
    authorization: `Bearer ${env.stack.platform.adminSecret}`,
    origin: env.stack.platform.origin,
    ...(body && { 'content-type': 'application/json' }),
    ...init.headers,
  }
  return raw(`${env.stack.platform.origin}${path}`, { method: body ? 'POST' : 'GET', headers, ...(body && { body }) })
}

const registration = async (kid: string, origin: string) => ({ account: 'mallory', kid, publicPem: (await generateHostKey()).publicPem, origins: [origin] })

async function openElsewhere(): Promise<{ page: Page; statuses: Map<string, number> }> {
  const { context } = env.track({ context: await env.browser.newContext() })
  const page = await context.newPage()
  // the answers the browser got, though the page itself cannot read them
  const statuses = new Map<string, number>()
  page.on('response', (response) => statuses.set(`${response.request().method()} ${new URL(response.url()).pathname}`, response.status()))
  await page.goto(`${elsewhereOrigin}/`)
  return { page, statuses }
}

describe('a page of another site in Chromium', () => {
  test('a text/plain no-cors POST (no preflight) cannot register a key: refused before it is read, the key list is unchanged', async () => {
    const before = await kids()
    const { page, statuses } = await openElsewhere()
    const body = JSON.stringify(await registration('mallory-key', elsewhereOrigin))
    const sent = await page.evaluate(
      ([url, payload]) =>
        fetch(url!, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: payload! }).then((response) => response.type),
      [`${env.stack.platform.origin}/admin/api/keys`, body],
    )
    expect(sent).toBe('opaque')
    await expect.poll(() => statuses.get('POST /admin/api/keys')).toBe(403)
    expect(await kids()).toEqual(before)
    expect(before).not.toContain('mallory-key')
  })

  test('a CORS read of the key list, or of a token, fails — refused by the servers (403), not only unreadable; no token is signed', async () => {
    const { page } = await openElsewhere()
    const issued = env.stack.host.tokensIssued
    for (const url of [`${env.stack.platform.origin}/admin/api/keys`, `${env.stack.host.origin}/api/token`]) {
      expect(
        await page.evaluate(
          (target) =>
            fetch(target).then(
              () => 'read',
              (error: Error) => error.name,
            ),
          url,
        ),
      ).toBe('TypeError')
    }
    // no CORS header would have hidden the answers anyway: the servers themselves refuse the request with
    // that page's Origin (the browser does not surface the status of a failed CORS read, so it is sent here)
    for (const url of [`${env.stack.platform.origin}/admin/api/keys`, `${env.stack.host.origin}/api/token`]) {
      const answer = await fetch(url, { headers: { origin: elsewhereOrigin } })
      expect(answer.status, url).toBe(403)
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('CROSS_ORIGIN_REFUSED')
    }
    expect(env.stack.host.tokensIssued).toBe(issued)
  })

  test('it cannot frame the admin page', async () => {
    const { page } = await openElsewhere()
    await page.evaluate((url) => document.body.append(Object.assign(document.createElement('iframe'), { src: url })), env.stack.platform.adminUrl)
    await expect.poll(() => page.frames().length).toBe(2)
    await expect.poll(() => page.frames()[1]!.url()).toMatch(/^chrome-error:/)
  })
})

describe('the admin API over HTTP', () => {
  test("a foreign Host (DNS rebinding) is refused 403, with the right secret too; so is the host's /api/token and the admin page", async () => {
    const { platform, host } = env.stack
    const foreign = (origin: string) => `evil.example:${new URL(origin).port}`
    expect(await admin('/admin/api/keys', { headers: { host: foreign(platform.origin) } })).toMatchObject({
      status: 403,
      body: { error: { code: 'HOST_NOT_ALLOWED' } },
    })
    const register = await admin('/admin/api/keys', {
      headers: { host: foreign(platform.origin), origin: `http://${foreign(platform.origin)}` },
      body: { account: 'acme', origins: [] },
    })
    expect(register).toMatchObject({ status: 403, body: { error: { code: 'HOST_NOT_ALLOWED' } } })
    expect((await raw(`${platform.origin}/embed/admin`, { headers: { host: foreign(platform.origin) } })).status).toBe(403)
    expect(await raw(`${host.origin}/api/token`, { headers: { host: foreign(host.origin) } })).toMatchObject({
      status: 403,
      body: { error: { code: 'HOST_NOT_ALLOWED' } },
    })
    // the same requests under the servers' own names
    expect((await admin('/admin/api/keys', { headers: { host: `localhost:${new URL(platform.origin).port}` } })).status).toBe(200)
    expect((await raw(`${host.origin}/api/token`)).body.token).toEqual(expect.any(String))
  })

  test("the host's /api/token refuses a cross-site Origin", async () => {
    expect(await raw(`${env.stack.host.origin}/api/token`, { headers: { origin: elsewhereOrigin.replace('localhost', '127.0.0.1') } })).toMatchObject({
      status: 403,
      body: { error: { code: 'CROSS_ORIGIN_REFUSED' } },
    })
    expect((await raw(`${env.stack.host.origin}/api/token`, { headers: { origin: env.stack.host.origin } })).status).toBe(200)
  })

  test("no secret or a wrong one: 401; the right secret, JSON, the platform's origin: the key is registered", async () => {
    const body = await registration('admin-test-key', 'https://app.mallory.example')
    expect(await admin('/admin/api/keys', { headers: { authorization: undefined } })).toMatchObject({
      status: 401,
      body: { error: { code: 'ADMIN_UNAUTHORIZED' } },
    })
    expect(await admin('/admin/api/keys', { headers: { authorization: 'Bearer guessed' }, body })).toMatchObject({
      status: 401,
      body: { error: { code: 'ADMIN_UNAUTHORIZED' } },
    })
    expect(await kids()).not.toContain('admin-test-key')
    expect(await admin('/admin/api/keys', { body })).toMatchObject({ status: 201, body: { key: { kid: 'admin-test-key', account: 'mallory' } } })
    expect(await kids()).toContain('admin-test-key')
  })

  test('a POST from another origin, or without an Origin, is refused 403', async () => {
    const body = await registration('no-origin-key', 'https://app.mallory.example')
    expect(await admin('/admin/api/keys', { headers: { origin: elsewhereOrigin }, body })).toMatchObject({
      status: 403,
      body: { error: { code: 'CROSS_ORIGIN_REFUSED' } },
    })
    expect(await admin('/admin/api/keys', { headers: { origin: undefined }, body })).toMatchObject({
      status: 403,
      body: { error: { code: 'CROSS_ORIGIN_REFUSED' } },
    })
    expect(await kids()).not.toContain('no-origin-key')
  })

  test('a body that is not application/json: 415', async () => {
    const body = await registration('plain-key', 'https://app.mallory.example')
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      expect(await admin('/admin/api/keys', { headers: { 'content-type': type }, body })).toMatchObject({
        status: 415,
        body: { error: { code: 'CONTENT_TYPE_NOT_JSON' } },
      })
    }
    expect(await kids()).not.toContain('plain-key')
  })

  test('the admin page may not be framed', async () => {
    const response = await fetch(env.stack.platform.adminUrl)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    expect(response.headers.get('x-frame-options')).toBe('DENY')
  })
})

describe('the admin page in Chromium', () => {
  test("opened with the banner's link: the secret leaves the address bar, keys are listed, a key is generated, a reload still works", async () => {
    const { context } = env.track({ context: await env.browser.newContext() })
    const page = await context.newPage()
    await page.goto(env.stack.platform.adminUrl)
    await expect.poll(() => page.locator('#keys').textContent()).toContain(env.stack.key.kid)
    expect(page.url()).toBe(`${env.stack.platform.origin}/embed/admin`)
    await page.fill('#generate input[name=name]', 'Globex portal')
    await page.fill('#generate input[name=account]', 'globex')
    await page.click('#generate button[type=submit]')
    await expect.poll(() => page.locator('#private-pem').inputValue()).toContain('-----BEGIN PRIVATE KEY-----')
    await expect.poll(() => page.locator('#keys').textContent()).toContain('Globex portal')
    await page.reload()
    await expect.poll(() => page.locator('#keys').textContent()).toContain('Globex portal')
    await page.screenshot({ path: `${shots}/admin-with-secret.png`, fullPage: true })
  })

  test("opened without the secret, or with an earlier run's: it says where the link is, and shows no key", async () => {
    const { context } = env.track({ context: await env.browser.newContext() })
    const page = await context.newPage()
    for (const url of [`${env.stack.platform.origin}/embed/admin`, `${env.stack.platform.origin}/embed/admin#secret=of-an-earlier-run`]) {
      await page.goto(url)
      await expect.poll(() => page.locator('#locked').textContent()).toContain('open the "Platform admin" link')
      expect(await page.locator('#keys tbody tr').count()).toBe(0)
    }
    // the wrong secret is forgotten, not sent again
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
    await page.screenshot({ path: `${shots}/admin-without-secret.png` })
  })
})
