// A real PostgreSQL server for the tests, on loopback. When none runs, this installs Debian's
// `postgresql` package if needed (as CI needs: a clean machine has none), starts the cluster, and
// creates a role and database; `stop()` stops the cluster again if it was started here.
import { execFileSync, execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ensureDebianPackages } from '../../../scripts/debian.mjs'

const ROLE = 'sso_embed_test'
const PASSWORD = 'sso_embed_test'

const sh = (command: string) => execSync(command, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 300_000 })
const psql = (sql: string, db = 'postgres') =>
  execFileSync('su', ['postgres', '-c', `psql -d ${db} -v ON_ERROR_STOP=1 -tAc "${sql.replace(/"/g, '\\"')}"`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()

export interface TestPostgres {
  /** Connection string of a fresh, empty database. */
  url: string
  stop(): void
}

function clusters(): Array<{ version: string; name: string; port: string; status: string }> {
  return sh('pg_lsclusters --no-header')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [version, name, port, status] = line.trim().split(/\s+/) as [string, string, string, string]
      return { version, name, port, status }
    })
}

export function startPostgres(database: string): TestPostgres {
  if (!existsSync('/usr/bin/pg_lsclusters')) ensureDebianPackages(['postgresql'], 'the PostgreSQL store tests')
  let cluster = clusters()[0]
  if (!cluster) {
    const version = sh('ls /usr/lib/postgresql').split('\n').filter(Boolean).sort().at(-1)!
    sh(`pg_createcluster ${version} main`)
    cluster = clusters()[0]!
  }
  const started = cluster.status !== 'online'
  if (started) sh(`pg_ctlcluster ${cluster.version} ${cluster.name} start`)
  if (psql(`SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'`) !== '1') psql(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`)
  psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  psql(`CREATE DATABASE ${database} OWNER ${ROLE}`)
  return {
    url: `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${cluster.port}/${database}`,
    stop() {
      psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      if (started) sh(`pg_ctlcluster ${cluster.version} ${cluster.name} stop`)
    },
  }
}
