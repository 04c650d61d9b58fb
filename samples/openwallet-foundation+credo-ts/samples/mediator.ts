/**
 * A sample mediator (HTTP and WebSockets) that accepts every mediation request.
 *
 * Get an invitation from '/invitation', by default http://localhost:3001/invitation
 */

import { AskarModule } from '@credo-ts/askar'
import type { InitConfig } from '@credo-ts/core'
import { Agent, LogLevel } from '@credo-ts/core'
import { DidCommModule } from '@credo-ts/didcomm'
import { agentDependencies, DidCommHttpInboundTransport } from '@credo-ts/node'
import { askar } from '@openwallet-foundation/askar-nodejs'
import express from 'express'
import { TestLogger } from '../packages/core/tests/logger'

const port = process.env.AGENT_PORT ? Number(process.env.AGENT_PORT) : 3001
const app = express()

const agentConfig: InitConfig = {
  logger: new TestLogger(LogLevel.Info),
}

const httpInboundTransport = new DidCommHttpInboundTransport({ app, port })

const agent = new Agent({
  config: agentConfig,
  dependencies: agentDependencies,
  modules: {
    askar: new AskarModule({ askar, store: { id: 'Credo', key: 'Credo' } }),
    didcomm: new DidCommModule({
      transports: { inbound: [httpInboundTransport], outbound: [] },
      mediator: { autoAcceptMediationRequests: true },
    }),
  },
})

httpInboundTransport.app.get('/invitation', async (_req, res) => {
  const { outOfBandInvitation } = await agent.didcomm.oob.createInvitation()
  res.send(outOfBandInvitation.toUrl({ domain: `http://localhost:${port}/invitation` }))
})

await agent.initialize()
