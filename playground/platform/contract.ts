import type { PlatformContract } from '@sso-embed/protocol'

/**
 * The demo platform's own events and commands, typed once for both sides: the host page gets
 * `embed.on('platform:flowCreated')` and `embed.send('flowCount')`, the frame `connection.emit()` and
 * its `commands` handlers, all checked by the compiler.
 */
export interface DemoPlatform extends PlatformContract {
  events: {
    /** A flow was created inside the embed. */
    flowCreated: { id: string; name: string }
  }
  commands: {
    /** How many flows the signed-in project has. */
    flowCount: { payload: null; result: number }
    /** Echoes its payload: a round trip the host can time. */
    ping: { payload: unknown; result: { pong: unknown } }
  }
}
