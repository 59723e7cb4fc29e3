// Finds Debian's Firefox ESR and WebKitGTK (WebKitWebDriver, MiniBrowser, Xvfb) for the browser tests,
// installing their packages when missing. As for Chromium (chromium.mjs), only Debian's packages are
// used: nothing downloads a browser or a driver of its own.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ensureDebianPackages } from './debian.mjs'

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
export const webkitDriverPath = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver'
export const xvfbRunPath = '/usr/bin/xvfb-run'

export function ensureFirefox() {
  if (existsSync(firefoxPath)) return firefoxPath
  if (process.env.FIREFOX_PATH) throw new Error(`FIREFOX_PATH=${firefoxPath} does not exist`)
  ensureDebianPackages(['firefox-esr'], 'the Firefox browser tests (or set FIREFOX_PATH)')
  if (!existsSync(firefoxPath)) throw new Error(`apt-get installed firefox-esr but ${firefoxPath} is still missing`)
  return firefoxPath
}

/** The MiniBrowser of WebKitGTK: its path differs by architecture, so ask dpkg where the package put it. */
export function miniBrowserPath() {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH
  const files = execFileSync('dpkg', ['-L', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' }).split('\n')
  const found = files.find((file) => file.endsWith('/MiniBrowser'))
  if (!found) throw new Error('libwebkit2gtk-4.1-0 has no MiniBrowser')
  return found
}

export function ensureWebKit() {
  if (!existsSync(webkitDriverPath) || !existsSync(xvfbRunPath)) {
    if (process.env.WEBKIT_DRIVER_PATH && !existsSync(webkitDriverPath)) throw new Error(`WEBKIT_DRIVER_PATH=${webkitDriverPath} does not exist`)
    ensureDebianPackages(['webkit2gtk-driver', 'xvfb'], 'the WebKit browser tests')
  }
  return { driver: webkitDriverPath, miniBrowser: miniBrowserPath(), xvfbRun: xvfbRunPath }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log({ firefox: ensureFirefox(), webkit: ensureWebKit() })
