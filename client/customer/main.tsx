import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CustomerApp } from './CustomerApp.tsx';
import '../ui/styles.css';
import './customer.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <CustomerApp />
  </StrictMode>,
);
