import type { Request, Response } from 'express'

// GET {baseRoute}/i/:code, the short link a QR code holds (fixture: echoes the code)
export const serveOobInvitation = (req: Request, res: Response) => {
  res.json({ invitation: req.params.code })
}
