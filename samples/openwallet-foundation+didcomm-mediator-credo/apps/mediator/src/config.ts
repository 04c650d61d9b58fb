import { z } from 'zod'
import { loadConfig } from 'zod-config'
import { envAdapter } from 'zod-config/env-adapter'

// Read from the environment when this module is first imported: PORT, LABEL, STORE__ID, STORE__KEY
export const config = await loadConfig({
  schema: z.object({
    port: z.coerce.number().default(4000),
    label: z.string().default('fixture mediator'),
    store: z.object({ id: z.string().default('mediator'), key: z.string().default('fixture-only') }),
  }),
  adapters: envAdapter({ nestingSeparator: '__' }),
})
