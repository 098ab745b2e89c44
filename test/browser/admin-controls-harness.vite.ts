import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Builds the control pages' harness (client/admin/pages/harness/) for the browser tests, until
// the admin console's shell serves the pages itself. The out dir is given on the command line;
// it is not emptied, so the harness can sit beside the main web app (the staff PWA).
export default defineConfig({
  root: 'client',
  base: '/',
  plugins: [react()],
  build: {
    emptyOutDir: false,
    sourcemap: false,
    rollupOptions: { input: { harness: 'client/admin/pages/harness/index.html' } },
  },
});
