import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('admin/index.html has no #root');

/** The admin console's entry; the admin helpers fill it. */
createRoot(root).render(
  <StrictMode>
    <main className="page narrow">
      <h1>Admin console</h1>
    </main>
  </StrictMode>,
);
