import '@openwallet-foundation/askar-nodejs'
import { startMediator } from './agent.js'
import { config } from './config.js'

const mediator = await startMediator()
mediator.config.logger.info(`fixture mediator up on port ${config.port}`)
