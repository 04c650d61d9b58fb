// Grafana Faro browser monitoring (RUM) for this app, configured at runtime by
// NUXT_PUBLIC_FARO_ENABLED and NUXT_PUBLIC_FARO_COLLECTOR_URL.
import { initFaro } from "~/utils/faro";

export default defineNuxtPlugin(() => {
  const config = useRuntimeConfig().public;
  const settings = {
    enabled: config.faroEnabled,
    collectorUrl: config.faroCollectorUrl,
  };
  // not awaited: the app renders while the SDK loads; initFaro logs its own errors
  void initFaro({ name: "__APP_NAME__" }, settings);
});
