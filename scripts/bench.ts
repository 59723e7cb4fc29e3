// `pnpm bench`, in one run:
// 1. tokens verified per second by @sso-embed/server's createVerifier and by bare jose (scripts/bench/verify.ts);
// 2. exchanges per second and p50/p99 latency on PGlite and PostgreSQL (scripts/bench/exchange.ts), and
//    repeat-login exchanges per second on PostgreSQL against pgbench running the same SQL (scripts/bench/throughput.ts);
// 3. in one Chromium run, the median of 20 of
//   (a) configure() → authenticated (handshake + token exchange), and
//   (b) a bare iframe of the same platform page → load,
// and their ratio. Production builds of the demo pages; host and platform on two different sites.
import { buildPages } from '../playground/pages'
import { launchChromium, openHost, startStack } from '../e2e/harness'
import { ensureChromium } from './chromium.mjs'
import { benchExchange } from './bench/exchange'
import { benchThroughput } from './bench/throughput'
import { benchVerify } from './bench/verify'

await benchVerify()
await benchExchange()
await benchThroughput()
console.log('\nEmbedding in Chromium:')

const runs = 20
ensureChromium()
await buildPages()
const [browser, stack] = await Promise.all([launchChromium(), startStack()])
try {
  const { page } = await openHost(browser, stack)
  const tokens = await Promise.all(Array.from({ length: runs + 2 }, (_, i) => stack.sign({ externalUserId: `bench-${i}` })))
  const timings = await page.evaluate(
    async ({ tokens, instanceUrl }) => {
      const embedded: number[] = []
      const bare: number[] = []
      for (const [i, token] of tokens.entries()) {
        let start = performance.now()
        const embed = window.ssoEmbed.configure({ container: '#embed', instanceUrl, token })
        await embed.ready
        const a = performance.now() - start
        embed.destroy()

        start = performance.now()
        const iframe = document.createElement('iframe')
        const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }))
        iframe.src = `${instanceUrl}/`
        document.getElementById('embed')!.append(iframe)
        await loaded
        const b = performance.now() - start
        iframe.remove()
        if (i >= 2) {
          // the first two of each are warm-up
          embedded.push(a)
          bare.push(b)
        }
      }
      return { embedded, bare }
    },
    { tokens, instanceUrl: stack.platform.instanceUrl },
  )
  const median = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y)
    const mid = sorted.length >> 1
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  }
  const a = median(timings.embedded)
  const b = median(timings.bare)
  console.log(`runs: ${runs} each (after 2 warm-up), Chromium headless, host ${stack.host.origin}, platform ${stack.platform.origin}`)
  console.log(
    `(a) configure() → authenticated   median ${a.toFixed(1)} ms   (min ${Math.min(...timings.embedded).toFixed(1)}, max ${Math.max(...timings.embedded).toFixed(1)})`,
  )
  console.log(
    `(b) bare iframe → load            median ${b.toFixed(1)} ms   (min ${Math.min(...timings.bare).toFixed(1)}, max ${Math.max(...timings.bare).toFixed(1)})`,
  )
  console.log(`ratio a/b: ${(a / b).toFixed(2)}`)
} finally {
  await browser.close()
  await stack.close()
}
