/** Whether the Debian package `name` is installed. */
export declare function isInstalled(name: string): boolean
/** Installs the packages that are missing (as root, or with passwordless sudo); `why` names what needs them. */
export declare function ensureDebianPackages(packages: string[], why: string): void
