import { newTracker, trackPageView } from '@snowplow/browser-tracker'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter, Route, Routes } from 'react-router-dom'

import AdminConsole from './admin/AdminApp'
import Showcase from './client/App'
import './client/index.css'
import { baseRoute } from './client/api/BaseUrl'

// Page views are tracked from the first render on
newTracker('showcase', 'https://collector.example.org', { appId: 'showcase-fixture' })
trackPageView()

// One root for both applications: the admin pages and the public showcase
const container = document.getElementById('root') as HTMLElement
createRoot(container).render(
  <StrictMode>
    <BrowserRouter>
      <Routes>
        <Route path={baseRoute + '/admin/*'} element={<AdminConsole />} />
        <Route path="*" element={<Showcase />} />
      </Routes>
    </BrowserRouter>
  </StrictMode>,
)
