import { defineConfig } from 'vitepress'

// The docs site: `pnpm docs:dev`, `pnpm docs:build` (dead links fail the build). The API reference
// under /api/ is generated from the packages' TSDoc comments by typedoc before each build.
export default defineConfig({
  title: 'sso-embed',
  description: "Embed a SaaS platform in your customers' apps with single sign-on by signed JWT — and keep it working when third-party cookies are blocked.",
  cleanUrls: true,
  srcExclude: ['samples/**'],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Reference', link: '/errors' },
      { text: 'API', link: '/api/' },
      { text: 'Comparison', link: '/comparison' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started (host backend)', link: '/guide/getting-started' },
          { text: 'Embedding: React, Vue, element, script tag', link: '/frameworks' },
          { text: 'Platform side: verify, provision, exchange', link: '/server' },
          { text: 'Blocked third-party cookies', link: '/third-party-cookies' },
          { text: 'Content-Security-Policy', link: '/csp' },
          { text: 'Security', link: '/security' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Claim profiles', link: '/server#claim-profiles' },
          { text: 'Error codes', link: '/errors' },
          { text: 'CLI', link: '/server#cli' },
          { text: 'Wire protocol', link: '/protocol' },
          { text: 'API (generated)', link: '/api/' },
        ],
      },
      { text: 'Comparison with other embed SDKs', link: '/comparison' },
    ],
    search: { provider: 'local' },
  },
})
