import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };

const API_TARGET = process.env.HOLDFAST_API ?? 'http://127.0.0.1:8787';
const client = (path: string) => resolve(import.meta.dirname, 'client', path);

/**
 * The staff PWA's manifest link belongs on the staff page only: the customer site and the
 * admin console are not installable apps and must not be controlled by its service worker.
 */
function manifestOnStaffPageOnly(): Plugin {
  return {
    name: 'holdfast-manifest-on-staff-page-only',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (context.path.startsWith('/staff/')) return html;
        return html.replace(/<link rel="manifest"[^>]*>/g, '');
      },
    },
  };
}

/** What the customer site's modules import from React, and what they get instead. */
const PREACT_FOR_REACT: Record<string, string> = {
  react: 'preact/compat',
  'react-dom': 'preact/compat',
  'react-dom/client': 'preact/compat/client',
  'react/jsx-runtime': 'preact/compat/jsx-runtime',
  'react/jsx-dev-runtime': 'preact/compat/jsx-dev-runtime',
};

/**
 * The customer site renders with Preact (through preact/compat, so its code is written against
 * React's API and types): a phone on a busy launch night loads about 5 KiB of renderer instead
 * of React DOM's 55 KiB. The staff app and the admin console keep React. Only modules under
 * client/customer/ are redirected; they import nothing React-based from elsewhere. Builds
 * only: the dev server keeps React everywhere, for React's fast refresh.
 */
function preactForCustomerSite(): Plugin {
  const customerDir = `${client('customer')}/`;
  return {
    name: 'holdfast-preact-for-customer-site',
    enforce: 'pre',
    apply: 'build',
    async resolveId(source, importer, options) {
      const target = PREACT_FOR_REACT[source];
      if (!target || !importer?.startsWith(customerDir)) return null;
      return await this.resolve(target, importer, { ...options, skipSelf: true });
    },
  };
}

// Three faces, three entries of one build, each loading only its own code (DESIGN.md):
// the customer site at / (client/index.html -> client/customer/), the staff PWA at /staff/
// and the admin console at /admin/. They build to dist/client, which the server serves.
export default defineConfig({
  root: 'client',
  // The version tablets report and show: package version plus a build id (HOLDFAST_BUILD_ID, or the build time).
  define: {
    __APP_VERSION__: JSON.stringify(
      `${pkg.version}+${process.env.HOLDFAST_BUILD_ID ?? new Date().toISOString().slice(0, 16)}`,
    ),
  },
  plugins: [
    preactForCustomerSite(),
    react(),
    VitePWA({
      // Registered by client/staff/pwa.ts with workbox-window, which also offers "reload for the new version".
      injectRegister: false,
      registerType: 'prompt',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Holdfast for store staff',
        short_name: 'Holdfast',
        description: 'Store inventory, pickups and appointments that keep working offline.',
        start_url: '/staff/',
        scope: '/staff/',
        display: 'standalone',
        background_color: '#f6f5f1',
        theme_color: '#1f4d3a',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // The staff shell only: the customer and admin pages and their own chunks stay out.
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        globIgnores: ['index.html', 'admin/**', 'assets/customer-*', 'assets/admin-*'],
        navigateFallback: '/staff/index.html',
        navigateFallbackAllowlist: [/^\/staff\//],
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
        // The first visit is controlled at once, so a tablet that goes offline right after
        // enrolling still reloads into the app.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
    manifestOnStaffPageOnly(),
  ],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: {
        customer: client('index.html'),
        staff: client('staff/index.html'),
        admin: client('admin/index.html'),
      },
      output: { entryFileNames: 'assets/[name]-[hash].js' },
    },
  },
  server: {
    proxy: {
      '/api': API_TARGET,
      '/sync': { target: API_TARGET.replace(/^http/, 'ws'), ws: true },
    },
  },
});
