export default defineNuxtConfig({
  future: { compatibilityVersion: 4 },

  modules: ['nuxt-oidc-auth'],

  css: ['bootstrap/dist/css/bootstrap.min.css'],

  runtimeConfig: {
    public: {
      presReqConfId: '',
    },
  },

  telemetry: false,
  devtools: { enabled: false },
})
