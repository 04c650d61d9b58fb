import type { Request, Response } from 'express'

// Short OOB invitation URL for QR scans (sample: a fixed answer)
export function serveOobInvitation(req: Request, res: Response): void {
  res.json({ code: req.params.code })
}
