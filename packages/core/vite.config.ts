import { libraryConfig } from '../../vite.shared.ts'

// two entries: the SDK, and the helpers for framework wrappers (`@sso-embed/core/wrapper`)
export default libraryConfig(import.meta.dirname, ['index', 'wrapper'])
