// The README's first command, as a newcomer runs it: `npx --yes pnpm@10 playground` starts the demo platform
// and the demo host on two sites; in Chromium's default profile (third-party cookies blocked) each host
// page shows the user's name inside the iframe. Screenshots go to test-results/playground/.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort, launchChromium } from './harness'

const root = join(import.meta.dirname, '..')
const shots = 'test-results/playground'
const dataDir = mkdtempSync(join(tmpdir(), 'sso-embed-playground-'))
let child: ChildProcess
let browser: Browser
let host: string
let platform: string
/** The banner's admin link, with this run's secret in its fragment. */
let adminUrl: string

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  const [hostPort, platformPort] = await Promise.all([freePort(), freePort()])
  host = `http://localhost:${hostPort}`
  platform = `http://127.0.0.1:${platformPort}`
  child = spawn('npx', ['--yes', 'pnpm@10', 'playground'], {
    cwd: root,
    detached: true, // its own process group, so the whole tree stops at the end
    env: { ...process.env, HOST_PORT: String(hostPort), PLATFORM_PORT: String(platformPort), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the playground did not start in 120 s:\n${output}`)), 120_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Open the host app')) {
        clearTimeout(timer)
        adminUrl = /Platform admin: +(\S+)/.exec(output)![1]!
        resolve()
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.on('exit', (code) => reject(new Error(`the playground exited with ${code}:\n${output}`)))
  })
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve))
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      // already gone
    }
    // the playground's PGlite writes its directory until the process is gone: wait for it (at most 10 s)
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
  }
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
})

async function signedIn(page: Page, name: string) {
  const frame = page.frameLocator('iframe')
  await expect.poll(() => frame.locator('#status').textContent(), { timeout: 30_000 }).toBe(`Signed in as ${name}`)
}

describe('npx --yes pnpm@10 playground', () => {
  test.each(['react', 'vue', 'element', 'static'])('the %s host page shows the user inside the iframe', async (name) => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${host}/${name}.html`)
    await signedIn(page, 'Ada Lovelace')
    await page.screenshot({ path: `${shots}/${name}.png` })
    await context.close()
  })

  test('the core page with another user, profile and role; the flows editor; the admin page lists who was provisioned', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${host}/?manual`)
    await page.fill('input[name=user]', 'grace')
    await page.fill('input[name=firstName]', 'Grace')
    await page.fill('input[name=lastName]', 'Hopper')
    await page.selectOption('select[name=profile]', 'raytha')
    await page.selectOption('select[name=role]', 'VIEWER')
    await page.click('button[type=submit]')
    await signedIn(page, 'Grace Hopper')
    const frame = page.frameLocator('iframe')
    await frame.getByRole('link', { name: 'Flows' }).click()
    await frame.getByRole('link', { name: 'Weekly report' }).click()
    await expect.poll(() => frame.locator('#view h2').textContent()).toBe('Weekly report')
    await page.screenshot({ path: `${shots}/core-flow-editor.png` })
    const admin = await context.newPage()
    expect(adminUrl.replace(/#secret=[\w-]{43}$/, '#secret=…')).toBe(`${platform}/embed/admin#secret=…`)
    await admin.goto(adminUrl)
    await expect.poll(() => admin.locator('#users').textContent()).toContain('grace')
    await expect.poll(() => admin.locator('#keys').textContent()).toContain('Acme CRM (demo host)')
    await admin.screenshot({ path: `${shots}/admin.png`, fullPage: true })
    await context.close()
  })

  test('the token workbench signs, and shows exactly why the platform would refuse a token', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${host}/workbench.html`)
    // the claims template comes from the host backend: the demo login's claims
    await expect.poll(() => page.inputValue('textarea[name=claims]')).toContain('"externalUserId": "ada"')
    await page.click('button[type=submit]')
    await expect.poll(() => page.locator('#verdict').textContent()).toBe('Accepted: the exchange would sign this user in.')
    expect(JSON.parse((await page.locator('#decoded').textContent())!)).toMatchObject({
      header: { alg: 'RS256', kid: expect.any(String) },
      claims: { externalUserId: 'ada' },
    })
    expect(await page.locator('#warnings li').count()).toBe(0)
    // a one-hour token: accepted by the platform, but the inspection warns about it
    await page.fill('input[name=ttl]', '3600')
    await page.click('button[type=submit]')
    await expect.poll(() => page.locator('#warnings li').allTextContents()).toEqual([expect.stringContaining('lifetime 1h is over 5 minutes')])
    await page.fill('input[name=ttl]', '300')
    await page.fill(
      'textarea[name=claims]',
      JSON.stringify({ version: 'v3', externalUserId: 'ada', externalProjectId: 'acme', firstName: 'Ada', lastName: 'Lovelace', role: 'OWNER' }),
    )
    await page.click('button[type=submit]')
    await expect.poll(() => page.locator('#verdict').textContent()).toContain('Refused: CLAIM_INVALID (claim "role")')
    await page.screenshot({ path: `${shots}/workbench.png`, fullPage: true })
    await context.close()
  })
})
