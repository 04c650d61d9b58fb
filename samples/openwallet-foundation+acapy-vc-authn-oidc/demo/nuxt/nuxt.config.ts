// Nuxt 4 layout: the source lives in app/, and this demo has no plugins yet
export default defineNuxtConfig({
  compatibilityDate: '2025-07-01',
  ssr: false,

  runtimeConfig: {
    // exposed to the browser; NUXT_PUBLIC_* variables override them at run time
    public: {
      oidcIssuer: 'http://localhost:5000',
      presReqConfId: '',
    },
  },
})
