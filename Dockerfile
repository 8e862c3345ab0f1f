# The load agent's image: `feedbench agent`, one pod of the Indexed Job that
# `feedbench k8s manifest` writes (docs/agents.md). Node 20 on Debian, the project from this
# checkout with its locked dependencies; Debian's chromium only when asked for, for browser cells:
#   docker build -t feedbench .
#   docker build --build-arg WITH_CHROMIUM=1 -t feedbench:chromium .
FROM node:20-bookworm-slim

ARG WITH_CHROMIUM=0
RUN if [ "$WITH_CHROMIUM" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium \
      && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources directly, so the runtime dependencies are the whole install.
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY scenarios ./scenarios
COPY data ./data
COPY tsconfig.json ./

# Child processes start from esbuild bundles kept here (through tsx, 0.4 s slower, if unwritable).
RUN mkdir -p node_modules/.cache/feedbench && chown node node_modules/.cache/feedbench

# Agents hold one connection per client: the container runtime's open-file limit must be at least
# the Job's feedbench/open-files-per-agent annotation.
USER node
ENTRYPOINT ["node", "bin/feedbench.js"]
CMD ["--help"]
