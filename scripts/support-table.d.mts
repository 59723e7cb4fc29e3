/** The support table's markdown from the last engines-matrix results; `undefined` when there are none. */
export declare function supportTable(engines?: string[]): string | undefined
/** Writes the table into docs/third-party-cookies.md between its markers; returns whether it changed. */
export declare function writeSupportTable(engines?: string[]): boolean
