export declare const SNIPPET: RegExp
/** Every CDN snippet of sso-embed.js in docs/**.md. */
export declare function snippets(): Array<{ file: string; version: string; integrity: string }>
