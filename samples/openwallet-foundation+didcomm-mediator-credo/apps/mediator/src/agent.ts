import { Agent } from '@credo-ts/core'
import { agentDependencies } from '@credo-ts/node'
import { config } from './config.js'

export type MediatorAgent = Awaited<ReturnType<typeof createAgent>>

export async function createAgent() {
  const agent = new Agent({ config: { label: config.agentName }, dependencies: agentDependencies, modules: {} })
  await agent.initialize()
  return agent
}
