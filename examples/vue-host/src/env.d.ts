interface ImportMetaEnv {
  readonly VITE_PLATFORM_URL: string
}
