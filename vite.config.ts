import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };

const API_TARGET = process.env.HOLDFAST_API ?? 'http://127.0.0.1:8787';

// The web app (staff PWA first) lives in client/ and builds to dist/client, which the
// server serves. The service worker precaches the shell so the tablet opens offline.
export default defineConfig({
  root: 'client',
  // The version tablets report and show: package version plus a build id (HOLDFAST_BUILD_ID, or the build time).
  define: {
    __APP_VERSION__: JSON.stringify(
      `${pkg.version}+${process.env.HOLDFAST_BUILD_ID ?? new Date().toISOString().slice(0, 16)}`,
    ),
  },
  plugins: [
    react(),
    VitePWA({
      // Registered by client/pwa.ts with workbox-window, which also offers "reload for the new version".
      injectRegister: false,
      registerType: 'prompt',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Holdfast for store staff',
        short_name: 'Holdfast',
        description: 'Store inventory, pickups and appointments that keep working offline.',
        start_url: '/staff/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f5f1',
        theme_color: '#1f4d3a',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
        // The first visit is controlled at once, so a tablet that goes offline right after
        // enrolling still reloads into the app.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': API_TARGET,
      '/sync': { target: API_TARGET.replace(/^http/, 'ws'), ws: true },
    },
  },
});
