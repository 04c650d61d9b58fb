// Stand-in for routing-controllers (the showcase server registers no controllers in these tests),
// and for Caddy in front of the server: the built frontend is served under BASE_ROUTE, as Caddy's
// file_server does in the deployment. Everything else is the generated server's own code.
const express = require('express4')

exports.createExpressServer = () => {
  const app = express()
  app.use(process.env.BASE_ROUTE ?? '', express.static(process.env.FRONTEND_DIST))
  return app
}
