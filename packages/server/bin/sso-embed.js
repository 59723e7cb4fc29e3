#!/usr/bin/env node
// The `sso-embed` command. It lives outside dist/ so that installing the workspace before a build
// can link it (pnpm warns about a bin whose file does not exist); the CLI itself is dist/bin.js.
import { existsSync } from 'node:fs'

const cli = new URL('../dist/bin.js', import.meta.url)
if (existsSync(cli)) await import(cli.href)
else {
  process.stderr.write(
    'sso-embed: dist/bin.js is missing: build @sso-embed/server first (in its repository `pnpm build`; `pnpm sso-embed …` runs the CLI on source)\n',
  )
  process.exitCode = 2
}
