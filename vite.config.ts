import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'
import { SOURCE_CONDITION } from './vite.shared.ts'

// Vitest projects: unit tests of each package (on source, no build needed) and the real-browser e2e suite.
const unit = (name: string, environment: 'node' | 'happy-dom') => ({
  extends: true as const,
  test: {
    name,
    environment,
    include: [`packages/${name}/src/**/*.test.ts`],
  },
})

export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    projects: [
      unit('protocol', 'node'),
      unit('core', 'happy-dom'),
      unit('frame', 'happy-dom'),
      unit('server', 'node'),
      unit('react', 'happy-dom'),
      unit('vue', 'happy-dom'),
      unit('element', 'happy-dom'),
      {
        extends: true,
        test: { name: 'docs', environment: 'node', include: ['docs/test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 900_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          exclude: ['e2e/engines/**'],
          globalSetup: ['e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // a real browser on 2 busy cores: a second is too short a wait for a sign-in
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        // the cross-engine matrix over HTTPS, one file per engine (scripts/test.mjs runs them side by side)
        extends: true,
        test: {
          name: 'engines',
          environment: 'node',
          include: ['e2e/engines/*.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
