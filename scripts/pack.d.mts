export declare const root: string
/** Every publishable package: `{ name, dir }` for each packages/* folder. */
export declare function workspacePackages(): Array<{ name: string; dir: string }>
/** `pnpm build` of every package; throws with the output when one fails. */
export declare function buildPackages(): void
/** Packs each built package into `destination`; returns `{ name, dir, tarball }` for each. */
export declare function packPackages(destination: string): Array<{ name: string; dir: string; tarball: string }>
