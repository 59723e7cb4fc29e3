import { libraryConfig } from '../../vite.shared.ts'

export default libraryConfig(import.meta.dirname)
