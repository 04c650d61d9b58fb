// Nuxt's client start, reduced: run the client plugins, then mount app.vue with the index page.
import './nuxt-runtime'
import { createApp } from 'vue'
import App from '../app/app.vue'
import IndexPage from '../app/pages/index.vue'
import faroPlugin from '../app/plugins/faro.client'

const app = createApp(App)
app.component('NuxtPage', IndexPage)
;(faroPlugin as (nuxtApp: unknown) => void)(app)
app.mount('#__nuxt')
