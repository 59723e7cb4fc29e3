import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { randomUUID } from 'node:crypto'

/** A flow of the demo builder: a name and its steps. */
export interface Flow {
  id: string
  projectId: string
  name: string
  steps: string[]
  updatedAt: string
}

const samples = (projectId: string): Flow[] =>
  [
    { name: 'New lead → Slack', steps: ['When a lead is created in the CRM', 'Post a message to #sales'] },
    { name: 'Weekly report', steps: ['Every Monday at 9:00', "Collect last week's deals", 'Email the summary'] },
  ].map((flow) => ({ ...flow, id: randomUUID(), projectId, updatedAt: new Date().toISOString() }))

/** The demo builder's flows per project, saved to `file` (when given). Every new project starts with two samples. */
export function createFlows(file?: string) {
  const flows: Flow[] = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Flow[]) : []
  const save = () => {
    if (!file) return
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${JSON.stringify(flows, null, 2)}\n`)
  }
  return {
    list(projectId: string): Flow[] {
      if (!flows.some((flow) => flow.projectId === projectId)) {
        flows.push(...samples(projectId))
        save()
      }
      return flows.filter((flow) => flow.projectId === projectId)
    },
    get: (projectId: string, id: string) => flows.find((flow) => flow.projectId === projectId && flow.id === id),
    create(projectId: string, name: string): Flow {
      const flow = { id: randomUUID(), projectId, name, steps: ['When something happens'], updatedAt: new Date().toISOString() }
      flows.push(flow)
      save()
      return flow
    },
    update(projectId: string, id: string, changes: { name?: string; steps?: string[] }): Flow | undefined {
      const flow = flows.find((f) => f.projectId === projectId && f.id === id)
      if (!flow) return undefined
      Object.assign(flow, changes, { updatedAt: new Date().toISOString() })
      save()
      return flow
    },
  }
}
