import { createApp } from 'vue';
import App from './App.vue';

import { createPinia } from 'pinia';
import { useConfigStore } from './store/configStore';

import i18n from '@/plugins/i18n/i18n';

async function loadApp() {
  // 1. create app
  const app = createApp(App);
  // 2. load storage
  const pinia = createPinia();
  app.use(pinia);
  // 3. load configuration from server (and store it!)
  const configStore = useConfigStore();
  const unsubscribe = configStore.$onAction(({ name, onError }) => {
    if (name === 'load') {
      onError((err) => {
        throw new Error(
          `Failed to acquire configuration: ${(err as Error).message}`
        );
      });
    }
  });
  await configStore.load();
  // manually remove the listener
  unsubscribe();

  // 4. load/initialize other components
  app.use(i18n);
  // 5. mount the configured app!
  app.mount('#app');
}

loadApp();
