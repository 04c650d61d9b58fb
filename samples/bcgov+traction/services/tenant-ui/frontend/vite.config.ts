import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import path from 'path';

// In dev mode the frontend runs on its own; send server calls to the node API
const proxyObject = {
  target: 'http://localhost:8080',
  ws: true,
  changeOrigin: true,
};

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@': path.resolve(__dirname, './src'),
    },
  },
  server: {
    proxy: {
      '/api': proxyObject,
      '/config': proxyObject,
    },
  },
});
