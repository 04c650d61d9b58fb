// The tenant-ui backend's own API (sample: one route)
import express, { Response } from "express";

export const router = express.Router();

router.use(express.json());

router.get("/ping", (_req, res: Response) => {
  res.status(200).json({ ok: true });
});
