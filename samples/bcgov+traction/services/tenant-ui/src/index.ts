import config from "config";
import cors from "cors";
import express from "express";
import { Request, Response, NextFunction } from "express";
import path, { dirname } from "path";
import { fileURLToPath } from "url";

import { router } from "./routes/router.js";
import { logStartupBanner } from "./helpers/startbanner.js";

const API_ROOT: string = config.get("server.apiPath");
const PORT: number = parseInt(config.get("server.port") as string, 10);
const STATIC_FILES_PATH: string = config.get("server.staticFiles");

const __filename = fileURLToPath(import.meta.url);
const __dirname = dirname(__filename);

import history from "connect-history-api-fallback";

const app = express();

app.use(history());
app.use(cors());
app.use(express.json());
app.use(express.urlencoded({ extended: true }));

// The built frontend
app.use("/", express.static(path.join(__dirname, STATIC_FILES_PATH)));

// Only opted-in values reach the browser through /config
function _setupConfig() {
  return {
    frontend: config.get("frontend"),
    image: config.get("image"),
    server: {
      tractionUrl: config.get("server.tractionUrl"),
    },
  };
}

app.use("/config", (_, res, next) => {
  try {
    res.status(200).json(_setupConfig());
  } catch (err) {
    next(err);
  }
});

app.use(API_ROOT, router);

app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
  console.error(err);
  const status: number =
    Number.isInteger(err.status) && err.status >= 400 && err.status < 600
      ? err.status
      : 500;
  res.status(status).json({ error: { message: "Request failed" } });
});

app.listen(PORT, () => {
  logStartupBanner({ port: PORT, apiRoot: API_ROOT });
});
