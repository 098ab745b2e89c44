/**
 * Folder rules (issue 18 §5), checked by `npm run lint:deps` in `npm run check` and .ci/run:
 * dependency-cruiser over server/, shared/ and client/.
 *
 * Known violations are named below, each with why it stays for now: fixing one moves code
 * between capability folders, which other work was changing at the same time. The rules
 * still fail on any NEW cycle or upward import; remove an entry once its edge is gone.
 */

/**
 * Folder cycles of today (issue 18 §5): for each folder, the folders it reaches inside a
 * cycle. Any other folder edge that closes a cycle fails. The edges that close them:
 * - auth <-> admin: server/auth/middleware.ts imports server/admin/sessions.ts (the admin's
 *   session cookie is checked in the auth middleware).
 * - auth <-> stock: server/auth/routes.ts imports server/stock/leases.ts (a revoked tablet's
 *   leases go back), while server/stock/routes.ts imports server/auth/middleware.ts.
 * - stock <-> customer: server/stock/routes.ts imports customer/held-units.ts and
 *   customer/hold-limits.ts (the hold path is spread over both; a holds/ capability would
 *   keep it in one place).
 * - appointments <-> waiting-room: server/appointments/bookings.ts imports
 *   server/waiting-room/room.ts (the ticket check); room.ts imports appointments/events.ts.
 * - audit <-> stock (arrived from main on 2026-12-08, while this rule was written):
 *   server/audit/record.ts imports server/stock/stores.ts, and every capability records audit.
 * - customer <-> appointments (same): server/customer/link-requests.ts imports
 *   server/appointments/events.ts and keys.ts, while appointments reaches customer through stock.
 * - the cycles through live/ and the longer ones through admin/ are made of the edges above.
 */
const KNOWN_FOLDER_CYCLES = {
  'server/admin': ['appointments', 'audit', 'auth', 'live', 'stock'],
  'server/appointments': ['audit', 'auth', 'stock', 'waiting-room'],
  'server/audit': ['stock'],
  'server/auth': ['admin', 'audit', 'stock'],
  'server/customer': ['appointments', 'audit', 'stock'],
  'server/live': ['appointments', 'audit', 'auth', 'stock'],
  'server/stock': ['audit', 'auth', 'customer'],
  'server/waiting-room': ['appointments', 'audit', 'live'],
};

/**
 * Domain code that imports the HTTP layer today (issue 18 §5): admin/controls runs other
 * capabilities' steps itself and throws AppError from server/http/errors.ts.
 */
const KNOWN_DOMAIN_HTTP_IMPORTS = [
  '^server/admin/controls/slots\\.ts$',
  '^server/admin/controls/tablets\\.ts$',
];

/** Capability folders under server/: each may be imported by routes, never by server/http/. */
const CAPABILITIES =
  '^server/(admin|appointments|audit|auth|customer|demo|live|projection|status|stock|sync|waiting-room|web)/';

/** Modules that answer HTTP and so may use server/http/: routes, the app, the wiring. */
const HTTP_EDGE = [
  '^server/http/',
  'routes\\.ts$',
  '^server/app\\.ts$',
  '^server/holdfast\\.ts$',
  '^server/main\\.ts$',
  // The sync socket's HTTP face: the ticket route and the upgrade's refusals.
  '^server/sync/ticket\\.ts$',
  '^server/sync/upgrade-auth\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module imports itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No folder depends on itself through others (folders by capability, DESIGN).',
      severity: 'error',
      scope: 'folder',
      from: { pathNot: `^(${Object.keys(KNOWN_FOLDER_CYCLES).join('|')})$` },
      to: { circular: true },
    },
    ...Object.entries(KNOWN_FOLDER_CYCLES).map(([folder, reached]) => ({
      name: 'no-folder-cycles',
      comment: `${folder}: only its known cycles (issue 18 §5), none through another folder.`,
      severity: 'error',
      scope: 'folder',
      from: { path: `^${folder}$` },
      to: { circular: true, pathNot: `^server/(${reached.join('|')})$` },
    })),
    {
      name: 'shared-is-pure',
      comment: 'shared/ is pure TypeScript for both sides: no server, no client, no Node (STYLE.md).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|client)/' },
    },
    {
      name: 'shared-without-node',
      comment: 'shared/ runs in the browser too: no Node built-in modules.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'server-not-client',
      comment: 'The server and the web app share only shared/.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^client/' },
    },
    {
      name: 'client-not-server',
      comment: 'The server and the web app share only shared/.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'domain-not-http',
      comment: 'Domain code returns outcomes; only modules that answer HTTP import server/http/.',
      severity: 'error',
      from: { path: '^server/', pathNot: [...HTTP_EDGE, ...KNOWN_DOMAIN_HTTP_IMPORTS] },
      to: { path: '^server/http/' },
    },
    {
      name: 'http-not-capabilities',
      comment: 'The HTTP layer knows no capability: capabilities plug their routes into it.',
      severity: 'error',
      from: { path: '^server/http/' },
      to: { path: CAPABILITIES },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    // TypeScript 7 has no JavaScript API for dependency-cruiser: Babel strips the types
    // (import type lines go; every other import stays, as verbatimModuleSyntax keeps them).
    // @swc/core is installed only because dependency-cruiser scans .ts and .tsx files when
    // TypeScript < 7 or swc is present; swc's own parser cannot read .tsx, so Babel parses.
    babelConfig: { fileName: '.dependency-cruiser.babel.json' },
  },
};
