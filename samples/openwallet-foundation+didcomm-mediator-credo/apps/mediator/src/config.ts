import { z } from 'zod'
import { loadConfig } from 'zod-config'
import { envAdapter } from 'zod-config/env-adapter'

// Loaded at import time from the environment (AGENT_NAME, INVITATION_URL, ...)
const schema = z.object({
  agentName: z.string().default('Mediator'),
  invitationUrl: z.string().default('http://localhost:3000'),
})

export const config = await loadConfig({
  schema,
  adapters: envAdapter({ customPrefix: '', nestingSeparator: '__' }),
})
