# syntax=docker/dockerfile:1
# Exposure Planner: build with the dev toolchain, run with production dependencies only, as a
# non-root user. The container migrates the database (DATABASE_URL) before it starts serving.

# Node 24 LTS (supported until April 2028, https://nodejs.org/en/about/previous-releases); Node 20
# reached its end of life in April 2026. CI still runs the suite on Node 20, the oldest line that
# package.json's engines accepts (docs/operations.md, "Node.js versions").
FROM node:24-bookworm-slim AS build
WORKDIR /app
# The install runs `prisma generate` (postinstall), which needs the schema and the stand-in for
# the native engine (scripts/no-schema-engine); copy those before the sources for a cached layer.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
# `npm ci`: exactly the lockfile. It holds every platform's build of the packages that ship one per
# OS and CPU (esbuild, swc, rolldown...), so an arm64 image installs its own (test/compose.spec.ts).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# --omit=optional too: the prisma CLI (Prisma Studio, its dev server) and typescript are optional peers
# of @prisma/client and the Nest packages, which npm keeps with --omit=dev alone (docs/operations.md).
RUN npm run build && npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
# MALLOC_TRIM_THRESHOLD_, --max-semi-space-size and --v8-pool-size as `npm start` has them
# (test/compose.spec.ts holds them equal): a young generation half V8's default, a size that keeps
# idle memory low without collecting garbage for every few requests, one V8 background thread, and
# glibc handing back the memory it keeps after V8's threads compile the embedded database's
# WebAssembly and free it (docs/performance.md).
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/.data \
    MALLOC_TRIM_THRESHOLD_=131072 \
    NODE_OPTIONS="--max-semi-space-size=8 --v8-pool-size=1"
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Migrations are read at run time: by `npm run db:migrate` (dist/src/cli/migrate.js), and by the app
# itself on PGlite.
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/scripts ./scripts
# Without DATABASE_URL the app keeps an embedded PGlite here; the node user must own it.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrate first (a no-op when nothing is pending), then replace the shell with node so it gets SIGTERM.
CMD ["sh", "-c", "npm run db:migrate && exec node dist/bundle/main.js"]
