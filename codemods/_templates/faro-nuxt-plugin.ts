// Grafana Faro browser monitoring (RUM) for this app, configured at runtime by
// NUXT_PUBLIC_FARO_ENABLED and NUXT_PUBLIC_FARO_COLLECTOR_URL.
import { initFaro } from "~/utils/faro";

export default defineNuxtPlugin(async () => {
  const config = useRuntimeConfig().public;
  const settings = {
    enabled: config.faroEnabled,
    collectorUrl: config.faroCollectorUrl,
  };
  await initFaro({ name: "__APP_NAME__" }, settings);
});
