export declare const firefoxPath: string
export declare const webkitDriverPath: string
export declare const xvfbRunPath: string
/** Returns the path of Debian's Firefox ESR, installing `firefox-esr` first when it is missing. */
export declare function ensureFirefox(): string
/** The MiniBrowser binary of WebKitGTK (from `dpkg -L`, or `MINIBROWSER_PATH`). */
export declare function miniBrowserPath(): string
/** Returns WebKitWebDriver's, the MiniBrowser's and xvfb-run's paths, installing `webkit2gtk-driver` and `xvfb` first when missing. */
export declare function ensureWebKit(): { driver: string; miniBrowser: string; xvfbRun: string }
