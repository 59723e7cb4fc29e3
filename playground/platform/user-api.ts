import type { IncomingMessage, ServerResponse } from 'node:http'
import { verifySession, type EmbedStore, type Session, type Sessions } from '@sso-embed/server'
import { readJson, sendJson } from '../pages'
import type { createFlows } from './flows'

/**
 * The embedded app's own API, for the user an embed login signed in: `/api/me` and the flows
 * (`/api/flows`, `/api/flows/:id`) of the user's project.
 */
export function createUserApi({ store, sessions, flows }: { store: EmbedStore; sessions: Sessions; flows: ReturnType<typeof createFlows> }) {
  /**
   * The signed-in user of an API request (bearer header from the frame's fetch helper, or the cookie),
   * checked against the store. The host-origin header is required: the frame's `fetch` always sends it,
   * and a page of another origin cannot send it without a CORS preflight this API never answers — so
   * the session cookie alone (a cross-site `no-cors` POST from a page of the host's site) acts on nothing.
   */
  async function session(req: IncomingMessage, res: ServerResponse): Promise<Session | undefined> {
    try {
      return await verifySession(req.headers, sessions, { requireHostOrigin: true })
    } catch (error) {
      const { code, message } = error as { code: string; message: string }
      sendJson(res, 401, { error: { code, message } })
      return undefined
    }
  }

  async function me(req: IncomingMessage, res: ServerResponse) {
    const current = await session(req, res)
    if (!current) return
    const [user, project] = await Promise.all([store.user(current.userId), current.projectId ? store.project(current.projectId) : undefined])
    const name = [user?.firstName, user?.lastName].filter(Boolean).join(' ')
    sendJson(res, 200, {
      user: { id: current.userId, name },
      project: project ? { id: project.id, name: project.name } : null,
      via: /^Bearer /i.test(req.headers.authorization ?? '') ? 'bearer' : 'cookie',
    })
  }

  async function flowsApi(req: IncomingMessage, res: ServerResponse, path: string) {
    const current = await session(req, res)
    if (!current) return
    const projectId = current.projectId ?? `user:${current.userId}` // raytha logins have no project: a personal list
    const id = path.split('/')[3]
    if (req.method === 'GET' && !id) return sendJson(res, 200, { flows: flows.list(projectId) })
    if (req.method === 'POST' && !id) {
      const body = (await readJson(req)) as { name?: unknown }
      if (typeof body.name !== 'string' || !body.name.trim()) return sendJson(res, 400, { error: { code: 'REQUEST_INVALID', message: 'A flow needs a name' } })
      return sendJson(res, 201, { flow: flows.create(projectId, body.name.trim()) })
    }
    if (req.method === 'GET' && id) {
      const flow = flows.get(projectId, id)
      return flow ? sendJson(res, 200, { flow }) : sendJson(res, 404, { error: { code: 'REQUEST_INVALID', message: 'No such flow' } })
    }
    if (req.method === 'PUT' && id) {
      const body = (await readJson(req)) as { name?: unknown; steps?: unknown }
      const steps = Array.isArray(body.steps) ? body.steps.filter((step): step is string => typeof step === 'string' && step.trim() !== '') : undefined
      const flow = flows.update(projectId, id, {
        ...(typeof body.name === 'string' && body.name.trim() && { name: body.name.trim() }),
        ...(steps && { steps }),
      })
      return flow ? sendJson(res, 200, { flow }) : sendJson(res, 404, { error: { code: 'REQUEST_INVALID', message: 'No such flow' } })
    }
    sendJson(res, 405, { error: { code: 'REQUEST_INVALID', message: 'Method not allowed' } })
  }

  return { me, flows: flowsApi }
}
