/**
 * Fixture mediator, started from the repository root with `pnpm run-mediator` (vite-node).
 * Relative imports here have no file extension: vite-node resolves them.
 */

import { Agent } from '@credo-ts/core'
import { agentDependencies } from '@credo-ts/node'
import { QuietLogger } from '../packages/core/tests/logger'

const agent = new Agent({
  config: { label: process.env.MEDIATOR_LABEL ?? 'fixture mediator', logger: new QuietLogger() },
  dependencies: agentDependencies,
})

await agent.initialize()
