import type { Express } from 'express'
import 'reflect-metadata'

import { json } from 'express'
import { createServer } from 'http'
import { createExpressServer } from 'routing-controllers'

import { connectDB } from './db/connection'
import { serveOobInvitation } from './handlers/serveOobInvitation'
import logger from './utils/logger'

const baseRoute = process.env.BASE_ROUTE ?? ''
const port = Number(process.env.PORT ?? 5000)

const app: Express = createExpressServer({ controllers: [], cors: true, routePrefix: `${baseRoute}/demo` })

// Routes are registered in run(), once the database is reachable
const run = async () => {
  await connectDB()

  app.use(json({ limit: '2mb' }))
  app.get(`${baseRoute}/i/:code`, serveOobInvitation)
  app.get('/', (_req, res) => {
    res.send('ok')
  })

  createServer(app).listen(port, () => logger.info(`showcase server on port ${port}`))
}

run().catch((error: unknown) => {
  logger.error({ err: error }, 'server failed to start')
  process.exit(1)
})
