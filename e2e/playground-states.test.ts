import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { browserAndStack, cookieContext, platformFrame } from './harness'

// The demo host's switches (playground/host/app): the "Token" select breaks the token on purpose and
// "strict CSP" reloads the page under docs/csp.md's host policy, so a person can see every state.

const env = browserAndStack()

describe('the playground host page', () => {
  test('under ?csp=strict it signs in with no violation; each broken token shows its error view, and mounting again with "valid" signs in', async () => {
    const { stack } = env
    const context = await cookieContext(env.browser, 'blocked')
    env.track({ context })
    await context.addInitScript(() => {
      const seen: string[] = ((window as unknown as { violations: string[] }).violations = [])
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
    })
    const page = await context.newPage()
    const response = await page.goto(`${stack.host.origin}/?csp=strict`)
    expect(response!.headers()['content-security-policy']).toMatch(
      new RegExp(`^default-src 'none'; script-src 'self' 'nonce-[^']+'; .*frame-src ${stack.platform.origin};`),
    )
    expect(await page.locator('#strict-csp').isChecked()).toBe(true)
    const frame = await platformFrame(page, stack)
    await expect.poll(() => frame.locator('#status').textContent(), { timeout: 15_000 }).toBe('Signed in as Ada Lovelace')
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])

    const alert = page.locator('#embed [data-sso-embed-state] [role=alert]')
    for (const [tokenCase, code, text] of [
      ['expired', 'TOKEN_EXPIRED', 'Your sign-in has expired.'],
      ['wrong-key', 'BAD_SIGNATURE', 'Your sign-in was refused.'],
      ['404', 'TOKEN_UNAVAILABLE', 'We could not sign you in: the sign-in service did not answer.'],
    ] as const) {
      await page.selectOption('select[name=tokenCase]', tokenCase)
      await page.click('button[type=submit]')
      await alert.waitFor({ timeout: 15_000 })
      expect(await alert.locator('.code').textContent()).toBe(code)
      expect(await alert.locator('p').first().textContent()).toBe(text)
      await page.locator('#embed').screenshot({ path: join(import.meta.dirname, '..', 'docs', 'images', `playground-${tokenCase}.png`) })
    }
    // the getToken of the mounted embed reads the form once: fix the backend side by remounting with "valid"
    await page.selectOption('select[name=tokenCase]', 'ok')
    await page.click('button[type=submit]')
    await expect.poll(() => page.locator('#state').textContent(), { timeout: 15_000 }).toBe('ready')
    expect(await page.locator('#embed [data-sso-embed-state]').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
  })
})
