// Grafana Faro browser monitoring (RUM): errors, logs, Web Vitals and fetch/XHR traces.
// The collector URL is normally this app's own /faro route, which forwards to Grafana
// Alloy. The SDK is loaded (as its own chunk) only when Faro is enabled. initFaro never
// rejects, so callers need not wait for it: monitoring must not hold up or break the app.
export interface FaroSettings {
  enabled?: boolean | string;
  collectorUrl?: string;
}

export interface FaroApp {
  name: string;
  version?: string;
}

export async function initFaro(app: FaroApp, settings?: FaroSettings) {
  const collectorUrl = settings?.collectorUrl;
  if (!collectorUrl || String(settings?.enabled) !== "true") {
    return;
  }
  try {
    const sdk = await import("@grafana/faro-web-sdk");
    const tracing = await import("@grafana/faro-web-tracing");
    const instrumentations = sdk.getWebInstrumentations();
    instrumentations.push(new tracing.TracingInstrumentation());
    sdk.initializeFaro({
      url: new URL(collectorUrl, window.location.href).toString(),
      app,
      instrumentations,
    });
  } catch (error) {
    // e.g. the SDK chunk failed to load (a new deploy, the network, a blocker)
    console.warn("Grafana Faro did not start:", error);
  }
}
