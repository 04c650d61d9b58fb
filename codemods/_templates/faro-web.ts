// Grafana Faro browser monitoring (RUM): errors, logs, Web Vitals and fetch/XHR traces.
// The collector URL is normally this app's own /faro route, which forwards to Grafana
// Alloy. The SDK is loaded (as its own chunk) only when Faro is enabled.
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
  const sdk = await import("@grafana/faro-web-sdk");
  const tracing = await import("@grafana/faro-web-tracing");
  const instrumentations = sdk.getWebInstrumentations();
  instrumentations.push(new tracing.TracingInstrumentation());
  sdk.initializeFaro({
    url: new URL(collectorUrl, window.location.href).toString(),
    app,
    instrumentations,
  });
}
