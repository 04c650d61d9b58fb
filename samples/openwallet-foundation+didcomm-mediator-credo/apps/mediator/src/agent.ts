import { Agent } from '@credo-ts/core'
import { agentDependencies } from '@credo-ts/node'
import { config } from './config.js'

export async function startMediator() {
  const agent = new Agent({ config: { label: config.label }, dependencies: agentDependencies })
  await agent.initialize()
  return agent
}
