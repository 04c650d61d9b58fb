// Grafana Pyroscope continuous profiling (wall-clock and heap). The entry point imports
// this module first. Nothing runs unless __SERVER_ADDRESS_ENV__ is set; then the SDK is
// loaded with import(), so without the variable nothing of it is loaded, and profiling
// never stops the service: a missing SDK or a failing init() is one process warning
// (stderr) and the service runs without profiling. The SDK reads the other PYROSCOPE_* variables itself
// (e.g. PYROSCOPE_WALL_COLLECT_CPU_TIME=true adds CPU time).
const serverAddress = process.env.__SERVER_ADDRESS_ENV__;

if (serverAddress) {
  import("@pyroscope/nodejs")
    .then(({ default: Pyroscope }) => {
      Pyroscope.init({
        serverAddress,
        appName: process.env.PYROSCOPE_APPLICATION_NAME || "__APP_NAME__",
      });
      Pyroscope.start();
    })
    .catch((error: unknown) => {
      process.emitWarning(`Pyroscope profiling not started: ${String(error)}`);
    });
}

// a module, not a script: its names stay its own
export {};
