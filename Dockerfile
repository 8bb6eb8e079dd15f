# One image for every role; docker-compose picks the role with KALEEM_ROLE.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY shared/package.json shared/
COPY workers/package.json workers/
COPY rest/package.json rest/
COPY hub/package.json hub/
COPY launcher/package.json launcher/
COPY webchat-widget/package.json webchat-widget/
COPY dashboard/package.json dashboard/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
EXPOSE 8080
CMD ["node", "--enable-source-maps", "launcher/dist/main.js"]
