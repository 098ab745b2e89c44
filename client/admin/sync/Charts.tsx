import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type Metrics, metricsSchema } from '../../../shared/api/admin-sync.ts';
import { type AdminApi, describeFailure } from '../pages/admin-api.ts';

const REFRESH_MS = 10_000;

const CHARTS: { metric: keyof Metrics['series']; title: string }[] = [
  { metric: 'holds', title: 'Holds made' },
  { metric: 'bookings', title: 'Bookings made' },
  { metric: 'refused', title: 'Commands refused' },
  { metric: 'synced', title: 'Tablet actions accepted' },
  { metric: 'tablets', title: 'Tablets connected' },
];

/** One metric over the last hour, per minute (uPlot draws it; the caption says it in words). */
function Chart({
  title,
  minutes,
  values,
  gauge,
}: {
  title: string;
  minutes: number[];
  values: number[];
  gauge: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const plot = new uPlot(
      {
        width: 300,
        height: 140,
        legend: { show: false },
        series: [{}, { label: title, stroke: '#1f4d3a', fill: 'rgba(31, 77, 58, 0.12)', width: 2 }],
        axes: [{ stroke: '#333' }, { stroke: '#333' }],
      },
      [minutes.map((t) => t / 1000), values],
      box.current,
    );
    return () => plot.destroy();
  }, [title, minutes, values]);
  const total = values.reduce((a, b) => a + b, 0);
  const last = values.at(-1) ?? 0;
  return (
    <figure className="chart">
      <div ref={box} aria-hidden="true" />
      <figcaption>
        <strong>{title}</strong>:{' '}
        {gauge
          ? `${last} now, at most ${Math.max(0, ...values)} in the last hour`
          : `${total} in the last hour, ${last} this minute`}
      </figcaption>
    </figure>
  );
}

/** The last hour, per minute, from counters every instance writes to Redis. */
export function Charts({ api }: { api: AdminApi }) {
  const [metrics, setMetrics] = useState<Metrics>();
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = () =>
      api.get('/api/admin/sync/metrics?minutes=60').then(
        (body) => live && setMetrics(metricsSchema.parse(body)),
        (e: unknown) => live && setError(describeFailure(e)),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return (
    <article className="card stack">
      <h2>The last hour, per minute</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!metrics && !error && <p>Loading…</p>}
      {metrics && (
        <div className="charts">
          {CHARTS.map(({ metric, title }) => (
            <Chart
              key={metric}
              title={title}
              minutes={metrics.minutes}
              values={metrics.series[metric]}
              gauge={metric === 'tablets'}
            />
          ))}
        </div>
      )}
    </article>
  );
}
