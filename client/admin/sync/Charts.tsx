import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type Metrics, metricsSchema } from '../../../shared/api/admin-sync.ts';
import { browserTimeZone, zonedTime } from '../../ui/format.ts';
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
  now,
}: {
  title: string;
  minutes: number[];
  values: number[];
  /** A gauge's value now, from the page's own answer (the chart's last minute may lag it). */
  now: number | undefined;
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
        {now !== undefined
          ? `${now} now, at most ${Math.max(now, ...values)} in the last hour`
          : `${total} in the last hour, ${last} this minute`}
      </figcaption>
    </figure>
  );
}

/**
 * The last hour, per minute, from counters every instance writes to Redis. `tabletsNow` is the
 * page's count of connected tablets, so the chart never says "1 now" beside "No tablet connected".
 */
export function Charts({ api, tabletsNow }: { api: AdminApi; tabletsNow: number }) {
  const [metrics, setMetrics] = useState<Metrics>();
  const [error, setError] = useState('');
  useEffect(() => {
    // Read again as soon as the page's count of tablets changes, so the history agrees with it.
    void tabletsNow;
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
  }, [api, tabletsNow]);
  return (
    <article className="card stack">
      <h2>The last hour, per minute</h2>
      {metrics && metrics.minutes.length > 0 && (
        <p className="muted">
          From {zonedTime(metrics.minutes[0] ?? 0, browserTimeZone())} to{' '}
          {zonedTime(metrics.minutes.at(-1) ?? 0, browserTimeZone())} (this browser’s time); the axes read the
          same.
        </p>
      )}
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
              now={metric === 'tablets' ? tabletsNow : undefined}
            />
          ))}
        </div>
      )}
    </article>
  );
}
