import config from "config";
import cors from "cors";
import express from "express";
import path from "path";
import { fileURLToPath } from "url";

import { apiRouter } from "./routes/router.js";
import { logStartupBanner } from "./helpers/startbanner.js";

const API_ROOT: string = config.get("server.apiPath");
const PORT = Number(config.get("server.port"));
const here = path.dirname(fileURLToPath(import.meta.url));
const staticFiles: string = config.get("server.staticFiles");

// imported after the constants above, as in the server this stands in for
import history from "connect-history-api-fallback";

const app = express();

app.use(history());
app.use(cors());
app.use(express.json());

app.use(express.static(path.join(here, staticFiles)));

// the browser gets the whole frontend section: a new frontend.* key needs no code here
app.get("/config", (_req, res) => {
  res.json({ frontend: config.get("frontend"), image: config.get("image") });
});

app.use(API_ROOT, apiRouter);

app.listen(PORT, () => logStartupBanner({ port: PORT, apiRoot: API_ROOT }));
