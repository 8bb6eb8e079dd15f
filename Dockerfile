# One image for every role: the container's KALEEM_ROLE (all | hub | rest | workers) picks what runs.
# Stages: deps (npm ci with the native toolchain better-sqlite3 needs), build (tsc, widget, dashboard,
# then dev dependencies pruned), runtime (no compiler, no sources beyond what runs, non-root).
# Build: docker build -t kaleem:<tag> .   (tag with the git commit; RUNBOOK.md "Roll back")

FROM node:20.19-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY shared/package.json shared/
COPY workers/package.json workers/
COPY rest/package.json rest/
COPY hub/package.json hub/
COPY launcher/package.json launcher/
COPY webchat-widget/package.json webchat-widget/
COPY dashboard/package.json dashboard/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20.19-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    KALEEM_ROLE=all \
    KALEEM_DATA_DIR=/data \
    PORT=8080
COPY --from=build --chown=node:node /app /app
# The data directory (SQLite on one host, generated secrets in development, local media without
# S3) belongs to the unprivileged user; Kaleem keeps it owner-only.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Compose runs its own health checks per role (/readyz); this one serves `docker run` alone.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "launcher/dist/main.js"]
