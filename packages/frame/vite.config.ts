import { libraryConfig } from '../../vite.shared'

export default libraryConfig(import.meta.dirname)
