// The server's own API under /api (fixture: a single route)
import { Router } from "express";

export const apiRouter = Router();

apiRouter.get("/ping", (_req, res) => {
  res.json({ pong: true });
});
