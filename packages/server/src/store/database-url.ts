/** What stands in for a secret in a connection string that is shown to a person. */
const HIDDEN = '***'

/**
 * A PostgreSQL connection string fit for a log line: the password of a URL
 * (`postgres://user:pass@host/db` → `postgres://user:***@host/db`) and every parameter naming a
 * password (`?password=…`, `&sslpassword=…`, keyword/value `password='…'`) replaced by `***`.
 *
 * Worked on the text, not through `URL`: a password with an unencoded `#`, `/` or `@` makes a string
 * `URL` misreads (or refuses) but `pg` may still accept, and such a password must not show either. The
 * userinfo is hidden up to the last `@`, so an `@` further on (in a parameter) hides more, never less.
 */
export function redactDatabaseUrl(connectionString: string): string {
  if (!/^[a-z][\w+.-]*:\/\//i.test(connectionString)) {
    // keyword/value: a value is quoted ('…' or "…") or runs to the next space (an `&` inside it too)
    return connectionString.replace(/(^|\s)([^=\s]*password\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S*)/gi, `$1$2${HIDDEN}`)
  }
  return (
    connectionString
      .replace(/^([a-z][\w+.-]*:\/\/[^:@/?#]*:)[\s\S]*@/i, `$1${HIDDEN}@`)
      // a parameter's value runs to the next `&` (a space or quote inside it is still the password)
      .replace(/([?&])([^=&]*password=)[^&]*/gi, `$1$2${HIDDEN}`)
  )
}
