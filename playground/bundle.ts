import { join } from 'node:path'
import { build } from 'vite'

let bundle: Promise<string> | undefined

/**
 * The script-tag bundle (`sso-embed.js`) exactly as `@sso-embed/element` builds it for publishing
 * (its `vite.bundle.config.ts`), built once per process in memory.
 */
export function scriptBundle(): Promise<string> {
  bundle ??= build({
    configFile: join(import.meta.dirname, '..', 'packages', 'element', 'vite.bundle.config.ts'),
    build: { write: false, sourcemap: false },
  }).then((output) => {
    const chunks = (Array.isArray(output) ? output[0]! : output) as { output: Array<{ type: string; fileName: string; code?: string }> }
    return chunks.output.find((chunk) => chunk.fileName === 'sso-embed.js')!.code!
  })
  return bundle
}
