import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Home } from './Home.tsx';
import { registerServiceWorker } from './pwa.ts';
import { StaffApp } from './staff/StaffApp.tsx';
import { showUpdateBanner, UpdateBanner } from './ui/UpdateBanner.tsx';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

const isStaff = window.location.pathname.startsWith('/staff');
createRoot(root).render(
  <StrictMode>
    <UpdateBanner />
    {isStaff ? <StaffApp /> : <Home />}
  </StrictMode>,
);
registerServiceWorker(showUpdateBanner);
