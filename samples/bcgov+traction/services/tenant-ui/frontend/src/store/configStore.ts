import { ref } from 'vue';
import { defineStore } from 'pinia';
import axios from 'axios';

export const useConfigStore = defineStore('config', () => {
  const config: any = ref(null);

  // GET /config: the server's `frontend` and `image` sections
  async function load() {
    const res = await axios.get('/config');
    config.value = res.data;
    return config.value;
  }

  return { config, load };
});
