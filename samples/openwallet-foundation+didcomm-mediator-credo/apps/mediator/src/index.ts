import '@openwallet-foundation/askar-nodejs'
import { DidCommOutOfBandRecord, DidCommOutOfBandState } from '@credo-ts/didcomm'
import { createAgent, MediatorAgent } from './agent.js'
import { config } from './config.js'

function logInvitationUrl(agent: MediatorAgent, outOfBandRecord: DidCommOutOfBandRecord) {
  const url = outOfBandRecord.outOfBandInvitation.toUrl({ domain: config.invitationUrl })
  agent.config.logger.info(`Out of band invitation url:\n\n\t${url}`)
}

void createAgent().then(async (agent) => {
  agent.config.logger.info('Agent started')
  const outOfBandRecord = await agent.didcomm.oob.createInvitation({ multiUseInvitation: true })
  if (outOfBandRecord.state === DidCommOutOfBandState.AwaitResponse) {
    logInvitationUrl(agent, outOfBandRecord)
  }
})
