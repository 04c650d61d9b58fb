// What Nuxt's client provides the demo's code: the auto-imported defineNuxtPlugin and
// useRuntimeConfig, with the public runtime config Nuxt serialises into the page (window.__NUXT__).
declare global {
  interface Window {
    __NUXT__: { config: { public: Record<string, unknown> } }
  }
}
const globals = globalThis as Record<string, unknown>
globals.defineNuxtPlugin = (plugin: unknown) => plugin
globals.useRuntimeConfig = () => window.__NUXT__.config
export {}
