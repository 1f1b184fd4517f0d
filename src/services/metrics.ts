import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from '../jobs/ports.js';

/** Prometheus metrics of one process: requests, compose latency, queue depth, and Node's own. */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'continuo_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly composeSeconds = new Histogram({
    name: 'continuo_compose_seconds',
    help: 'Time to make a composition (model and MIDI), by model',
    labelNames: ['model'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Renders on demand (`audio(format)`, `pianoRoll`), which run in the request rather than in a job. */
  readonly rendersOnDemand = new Counter({
    name: 'continuo_renders_on_demand_total',
    help: 'Audio and piano-roll files rendered on request (not in a compose job), by format',
    labelNames: ['format'] as const,
    registers: [this.registry],
  });

  constructor(queue: JobQueue) {
    collectDefaultMetrics({ register: this.registry, prefix: 'continuo_' });
    new Gauge({
      name: 'continuo_queue_depth',
      help: 'Jobs waiting or running, by type',
      labelNames: ['type'] as const,
      registers: [this.registry],
      async collect() {
        const depth = await queue.depth();
        for (const [type, count] of Object.entries(depth)) this.set({ type }, count);
      },
    });
  }
}
