import { newTracker, trackPageView } from '@snowplow/browser-tracker'
import React from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter, Route, Routes } from 'react-router-dom'

import AdminApp from './admin/AdminApp'
import ClientApp from './client/App'
import './client/index.css'
import { baseRoute } from './client/api/BaseUrl'

newTracker('sp1', 'https://spt.apps.gov.bc.ca', {
  appId: 'Snowplow_standalone_DIG',
  platform: 'web',
})
trackPageView()

const container = document.getElementById('root') as HTMLElement
createRoot(container).render(
  <React.StrictMode>
    <BrowserRouter>
      <Routes>
        <Route path={`${baseRoute}/admin/*`} element={<AdminApp />} />
        <Route path="/*" element={<ClientApp />} />
      </Routes>
    </BrowserRouter>
  </React.StrictMode>,
)
