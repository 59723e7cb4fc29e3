/**
 * Version of the host ↔ frame wire protocol. Host and frame must agree on it exactly; a platform that
 * upgrades the frame SDK across a protocol change answers older hosts with `PROTOCOL_MISMATCH`.
 */
export const PROTOCOL_VERSION = 2

/** Version of the sso-embed SDK packages (kept equal to every package.json's version by a test). */
export const SDK_VERSION = '0.2.0'

/** Query and fragment parameter that carries the token with `transport: 'query' | 'fragment'`. */
export const TOKEN_PARAM = 'sso_token'

/**
 * Query parameter of the iframe URL that names the host's account at the platform (its public embed id,
 * not a secret), so the platform serves that account's `frame-ancestors` and allowed host origins only.
 */
export const ACCOUNT_PARAM = 'account'

/**
 * Query parameter of the iframe URL, `storage=require`, set when the host asked for the `require`
 * storage policy: the platform's embed page may then activate a storage-access grant the user already
 * gave (`Activate-Storage-Access: load`). Without it the page never does: `auto` keeps to the embed's
 * own partitioned session.
 */
export const STORAGE_PARAM = 'storage'
