import { describe, expect, test } from 'vitest'
import { frameUrl, setAttributes } from './iframe'
import { validateOptions, type ResolvedOptions } from './options'

const attributes = (options: Parameters<typeof setAttributes>[1]) => {
  const iframe = document.createElement('iframe')
  setAttributes(iframe, options)
  return Object.fromEntries([...iframe.attributes].map((a) => [a.name, a.value]))
}

describe('iframe attributes', () => {
  test('allow always carries storage-access, keeping what the host asked for', () => {
    expect(attributes({})).toMatchObject({ title: 'Embedded application', allow: 'storage-access' })
    expect(attributes({ allow: 'clipboard-write; camera' })['allow']).toBe('clipboard-write; camera; storage-access')
    expect(attributes({ allow: 'storage-access' })['allow']).toBe('storage-access')
  })

  test('no sandbox unless asked; a sandbox gets the tokens the embed needs, storage access by user activation included', () => {
    expect(attributes({})).not.toHaveProperty('sandbox')
    const tokens = attributes({ sandbox: 'allow-downloads allow-scripts' })['sandbox']!.split(' ')
    expect(tokens).toEqual([
      'allow-downloads',
      'allow-scripts',
      'allow-same-origin',
      'allow-forms',
      'allow-popups',
      'allow-popups-to-escape-sandbox',
      'allow-storage-access-by-user-activation',
    ])
    expect(attributes({ sandbox: '' })['sandbox']).toContain('allow-storage-access-by-user-activation')
  })
})

describe('frameUrl', () => {
  const options = (extra: Partial<ResolvedOptions> = {}) =>
    validateOptions({ instanceUrl: 'https://platform.example/embed/', container: 'x', account: 'acme', token: 't', ...extra }) as ResolvedOptions

  test('names the account, and says storage=require only for the require policy (the page may then activate a grant); auto says nothing', () => {
    expect(frameUrl(options())).toBe('https://platform.example/embed/?account=acme')
    expect(frameUrl(options({ storage: 'auto' }))).toBe('https://platform.example/embed/?account=acme')
    expect(frameUrl(options({ storage: 'require' }))).toBe('https://platform.example/embed/?account=acme&storage=require')
    // a path that brings its own (a deep link forwarded from the host's URL) cannot ask for it
    expect(frameUrl(options({ path: '/flows?storage=require' }))).toBe('https://platform.example/embed/flows?account=acme')
    expect(frameUrl(options({ path: '/flows?storage=require&tab=2', storage: 'require' }))).toBe(
      'https://platform.example/embed/flows?tab=2&account=acme&storage=require',
    )
  })

  test('the token rides on the URL only for the query and fragment transports', () => {
    expect(frameUrl(options({ transport: 'query' }), 't.k.n')).toBe('https://platform.example/embed/?account=acme&sso_token=t.k.n')
    expect(frameUrl(options({ transport: 'fragment' }), 't.k.n')).toBe('https://platform.example/embed/?account=acme#sso_token=t.k.n')
    expect(frameUrl(options(), 't.k.n')).toBe('https://platform.example/embed/?account=acme')
  })
})
