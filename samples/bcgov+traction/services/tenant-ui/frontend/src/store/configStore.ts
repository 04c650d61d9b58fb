import axios from 'axios';
import { defineStore } from 'pinia';
import { ref } from 'vue';

// GET /config: the frontend and image sections of the server's node-config
export const useConfigStore = defineStore('config', () => {
  const config = ref<any>(null);

  async function load() {
    config.value = (await axios.get('/config')).data;
  }

  return { config, load };
});
