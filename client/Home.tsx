/** The landing page; the customer and admin faces come in their own issues. */
export function Home() {
  return (
    <main className="page narrow">
      <h1>Holdfast</h1>
      <p>
        Inventory, pickup holds and appointments that never oversell, while store tablets keep working
        offline.
      </p>
      <ul className="links">
        <li>
          <a href="/staff/">Store staff app</a> — for enrolled store tablets
        </li>
        <li>
          <a href="/api/openapi.json">API description (OpenAPI)</a>
        </li>
      </ul>
    </main>
  );
}
