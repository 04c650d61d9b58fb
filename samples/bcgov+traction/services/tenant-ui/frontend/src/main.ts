import { createPinia } from 'pinia';
import { createApp } from 'vue';

import translations from '@/plugins/i18n/i18n';

import TenantConsole from './App.vue';
import { useConfigStore } from './store/configStore';

// Nothing is mounted before the server's /config has arrived
async function loadApp() {
  const tenantUi = createApp(TenantConsole);
  tenantUi.use(createPinia());

  const configStore = useConfigStore();
  await configStore.load();

  tenantUi.use(translations);
  tenantUi.mount('#tenant-ui');
}

void loadApp();
