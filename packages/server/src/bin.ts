#!/usr/bin/env node
import { runCli } from './cli/cli'

const readStdin = async () => {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  // under `pnpm sso-embed …` the script runs in the repository root; paths are the caller's
  cwd: process.env['INIT_CWD'] ?? process.cwd(),
})
