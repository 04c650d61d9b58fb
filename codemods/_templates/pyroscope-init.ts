// Grafana Pyroscope continuous profiling (wall-clock and heap). The entry point imports
// this module first, so profiling starts before the rest of the app loads. Nothing runs
// unless __SERVER_ADDRESS_ENV__ is set; the SDK reads the other PYROSCOPE_* variables
// itself (e.g. PYROSCOPE_WALL_COLLECT_CPU_TIME=true adds CPU time).
import Pyroscope from "@pyroscope/nodejs";

const serverAddress = process.env.__SERVER_ADDRESS_ENV__;

if (serverAddress) {
  Pyroscope.init({
    serverAddress,
    appName: process.env.PYROSCOPE_APPLICATION_NAME || "__APP_NAME__",
  });
  Pyroscope.start();
}
