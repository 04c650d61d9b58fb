// POST /faro: forwards Grafana Faro browser telemetry to the collector (Grafana Alloy's
// faro.receiver), so browsers only talk to this app's own origin. Register the route
// before any body parser (express.json()): it reads the raw body with its own limit.
import type { RequestHandler } from "express";

import express from "express";

// Only what the collector needs: cookies and Authorization never leave this server.
const FORWARDED_HEADERS = ["content-type", "x-faro-session-id"];

export interface FaroProxyOptions {
  enabled: boolean;
  upstreamUrl?: string;
  maxBodyBytes?: number;
  timeoutMs?: number;
}

export function faroProxy(options: FaroProxyOptions): RequestHandler {
  const upstreamUrl = options.upstreamUrl || "__UPSTREAM_URL__";
  const timeoutMs = options.timeoutMs ?? 5000;
  const readBody = express.raw({
    type: () => true,
    limit: options.maxBodyBytes ?? 1024 * 1024,
  });

  return async (req, res) => {
    if (!options.enabled) {
      res.sendStatus(404);
      return;
    }
    const error = await new Promise((done) => readBody(req, res, done));
    if (error || !Buffer.isBuffer(req.body)) {
      // 413 when over the limit; no raw body means an earlier parser took it
      const status = (error as { status?: number } | undefined)?.status;
      res.sendStatus(status ?? 400);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.get(name);
      if (value) {
        headers[name] = value;
      }
    }
    try {
      const upstream = await fetch(upstreamUrl, {
        method: "POST",
        headers,
        body: new Uint8Array(req.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const type = upstream.headers.get("content-type") ?? "text/plain";
      res.status(upstream.status).set("content-type", type);
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch (err) {
      res.sendStatus((err as Error).name === "TimeoutError" ? 504 : 502);
    }
  };
}
