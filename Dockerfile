# Continuo service, workers and command line. Build: docker build -t continuo .
# Run:    docker run -p 4000:4000 -v continuo-data:/data continuo
# Worker: docker run -e REDIS_URL=… -e DATABASE_URL=… continuo worker
# CLI:    docker run --rm -v continuo-data:/data continuo models   (relative paths are in /data)
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The image computes on CPUs (TF.js on WebAssembly): it leaves out the optional GPU package, whose
# install downloads libtensorflow for CUDA, which this base image cannot run.
RUN npm pkg delete "optionalDependencies.@tensorflow/tfjs-node-gpu" && npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
# tini is process 1: it hands docker stop's SIGTERM to Continuo, which shuts down cleanly, and reaps
# orphaned processes. Labels in PNG pictures need a font.
RUN apt-get update && apt-get install -y --no-install-recommends tini fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
# The code belongs to root and stays as built. The node user owns what Continuo writes: DATA_DIR (the
# store, trained models, and as the working folder the runs/ of `train` and any relative output) and
# schema.graphql (`continuo schema`).
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY models ./models
COPY --chown=node:node schema.graphql ./
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /data
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--", "node", "/app/dist/src/cli/main.js"]
CMD ["serve"]
