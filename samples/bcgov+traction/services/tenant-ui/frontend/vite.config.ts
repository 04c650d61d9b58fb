import vue from '@vitejs/plugin-vue';
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';

// `npm run dev`: the Vite dev server forwards these paths to the tenant-ui server
const proxyObject = { target: 'http://localhost:8080', changeOrigin: true };

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': proxyObject,
      '/config': proxyObject,
    },
  },
});
