import type { Express, NextFunction, Request, Response } from 'express'
import 'reflect-metadata'

import { json } from 'express'
import * as http from 'http'
import { createExpressServer, useContainer } from 'routing-controllers'
import { Container } from 'typedi'

import { connectDB } from './db/connection'
import { serveOobInvitation } from './handlers/serveOobInvitation'
import logger from './utils/logger'

const baseRoute = process.env.BASE_ROUTE

useContainer(Container)

const app: Express = createExpressServer({
  controllers: [],
  cors: true,
  routePrefix: `${baseRoute}/demo`,
})

const server = http.createServer(app)

const run = async () => {
  await connectDB()

  app.use(json({ limit: '10mb' }))

  app.get(`${baseRoute}/i/:code`, serveOobInvitation)

  // respond to health checks for openshift
  app.get('/', async (req, res) => {
    res.send('ok')
    return res
  })

  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SyntaxError) {
      res.status(400).json({ error: 'Invalid request format', errorType: 'SyntaxError' })
      return
    }
    logger.error({ err }, 'Unhandled server error')
    res.status(500).json({ error: 'An unexpected error occurred' })
  })

  await new Promise<void>((resolve) => server.listen(5000, resolve))
  logger.info('Server listening on port 5000')
}

run().catch((error: unknown) => {
  logger.error({ err: error }, 'Fatal startup error')
  process.exit(1)
})
