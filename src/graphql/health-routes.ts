import { readiness } from '../services/readiness.js';
import type { Services } from '../services/services.js';
import { checkMetricsKey } from './http-request.js';
import type { HttpRoute } from './http-route.js';

/** `/healthz` (the process answers), `/readyz` (its store, disk and queue work) and `/metrics` (Prometheus). */
export function healthRoutes(services: Services): HttpRoute {
  return async (req, res, url) => {
    switch (url.pathname) {
      case '/healthz':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
        return true;
      case '/readyz': {
        const state = await readiness(services);
        res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(state));
        return true;
      }
      case '/metrics':
        checkMetricsKey(services.config.metricsKey, req.headers.authorization);
        res.writeHead(200, { 'content-type': services.metrics.registry.contentType }).end(await services.metrics.registry.metrics());
        return true;
      default:
        return false;
    }
  };
}
