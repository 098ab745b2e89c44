import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { showUpdateBanner, UpdateBanner } from '../ui/UpdateBanner.tsx';
import { registerServiceWorker } from './pwa.ts';
import { StaffApp } from './StaffApp.tsx';
import '../ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <UpdateBanner />
    <StaffApp />
  </StrictMode>,
);
registerServiceWorker(showUpdateBanner);
