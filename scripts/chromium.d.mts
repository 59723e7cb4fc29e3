export declare const chromiumPath: string
/** Returns the path of Debian's Chromium, installing the package first when it is missing. */
export declare function ensureChromium(): string
