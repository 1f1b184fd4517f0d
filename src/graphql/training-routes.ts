import type { Services } from '../services/services.js';
import { pathSegment } from './http-request.js';
import type { HttpRoute } from './http-route.js';

/** `/training-jobs/<id>/chart.svg|png`: the losses and metrics of the caller's training run as a picture. */
export function trainingRoutes(services: Services): HttpRoute {
  return async (req, res, url) => {
    const chart = /^\/training-jobs\/([^/]+)\/chart\.(svg|png)$/.exec(url.pathname);
    if (!chart || req.method !== 'GET') return false;
    const key = await services.keys.authenticate(req.headers.authorization);
    const picture = await services.training.chart(key, pathSegment(chart[1]!), chart[2] as 'svg' | 'png');
    res.writeHead(200, { 'content-type': picture.contentType, 'cache-control': 'no-store' }).end(picture.data);
    return true;
  };
}
