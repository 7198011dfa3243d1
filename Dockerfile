# syntax=docker/dockerfile:1
# newsmux: a worker that pulls regional news feeds and publishes combined feeds (see README).
#   docker build -t newsmux .
#   docker run -d -p 8080:8080 -v newsmux-data:/data -v newsmux-public:/public newsmux          # worker (start)
#   docker run --rm -v newsmux-data:/data -v newsmux-public:/public newsmux run                 # one pass, for cron
# tests/container/dockerfile.test.ts lints this file and runs its npm steps outside Docker.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app
# Dependencies first, so that a change in src/ does not reinstall them. Install scripts are skipped: `prepare` would
# compile sources not yet copied, and the one native addon needs no build here. On this image's Node 24 the store
# loads better-sqlite3 13, which ships a prebuilt Node-API binary for linux x64/arm64 (glibc and musl); better-sqlite3
# 12, the driver on Node 20 (13 needs 22), is installed but never loaded (see src/store/sqlite/driver.ts).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build
RUN npm prune --omit=dev --ignore-scripts
RUN mkdir -p data && chmod 0755 dist/cli/main.js

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="newsmux" \
      org.opencontainers.image.description="Regional news feeds, deduplicated, tagged and republished by country, region and topic" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    NEWSMUX_CONFIG=/app/config/default.yaml \
    NEWSMUX_STORE=/data/newsmux.db \
    NEWSMUX_OUTPUT_DIR=/public \
    NEWSMUX_HEALTH_URL=http://127.0.0.1:8080/healthz
WORKDIR /app
# Application files stay root-owned (read-only to the worker); only the two volumes are writable by it.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY --from=build /app/data ./data
RUN ln -s /app/dist/cli/main.js /usr/local/bin/newsmux \
 && mkdir -p /data /public \
 && chown node:node /data /public
USER node
VOLUME ["/data", "/public"]
EXPOSE 8080
# The slim image has no curl: Node's own fetch asks the worker's /healthz (200 while the last pass is recent).
# A config with another server.port needs NEWSMUX_HEALTH_URL to match.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.NEWSMUX_HEALTH_URL,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["newsmux"]
CMD ["start"]
