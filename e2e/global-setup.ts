import { buildPages } from '../playground/pages'
import { ensureChromium } from '../scripts/chromium.mjs'

/** Once per run: make sure Chromium is there and build the demo pages the tests serve. */
export default async function setup(): Promise<void> {
  ensureChromium()
  await buildPages()
}
