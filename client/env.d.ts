/** Set by vite.config.ts: package version and build time, reported by tablets to the admin page. */
declare const __APP_VERSION__: string;
