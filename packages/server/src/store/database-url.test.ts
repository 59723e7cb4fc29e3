import { describe, expect, it } from 'vitest'
import { redactDatabaseUrl } from './database-url'

describe('redactDatabaseUrl', () => {
  it.each([
    ['postgres://app:s3cret@db.example:5432/app', 'postgres://app:***@db.example:5432/app'],
    ['postgresql://app:p%40ss@db/app?sslmode=require', 'postgresql://app:***@db/app?sslmode=require'],
    // unencoded characters URL would misread: the whole password is still hidden
    ['postgres://app:123#x@db/app', 'postgres://app:***@db/app'],
    ['postgres://app:a/b@c@db/app', 'postgres://app:***@db/app'],
    ['postgres://:only@db/app', 'postgres://:***@db/app'],
    ['postgres://db/app?user=app&password=s3cret&sslpassword=k3y', 'postgres://db/app?user=app&password=***&sslpassword=***'],
    ["host=db user=app password='s3 cret' dbname=app", 'host=db user=app password=*** dbname=app'],
    ['password=s3cret host=db', 'password=*** host=db'],
    // no part of the password shows, whatever it holds
    ['host=db password=abc&def', 'host=db password=***'],
    ['host=db password="q w" dbname=app', 'host=db password=*** dbname=app'],
    ['postgres://db/app?password=a b&sslmode=require', 'postgres://db/app?password=***&sslmode=require'],
  ])('%s → %s', (input, shown) => {
    expect(redactDatabaseUrl(input)).toBe(shown)
  })

  it('leaves a string without a password as it is', () => {
    for (const url of ['postgres://app@db:5432/app', 'postgres:///app?host=/var/run/postgresql', 'postgresql://localhost/app']) {
      expect(redactDatabaseUrl(url)).toBe(url)
    }
  })
})
