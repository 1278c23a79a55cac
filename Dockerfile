# The app image for docker-compose.yml (Neo4j comes from its official image).
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY graphmap/static/ /src/graphmap/static/
RUN mkdir -p dist && npm run build:graphiql && (npm run | grep -q '^  build$' && npm run build || true)

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphmap/ graphmap/
COPY cypher/ cypher/
COPY --from=frontend /src/graphmap/static/ graphmap/static/
COPY --from=frontend /src/frontend/dist/ frontend/dist/
COPY --from=frontend /src/frontend/node_modules/@etalab/decoupage-administratif/data/ /app/territories/
RUN pip install --no-cache-dir -e .
ENV GRAPHMAP_TERRITORIES_DIR=/app/territories
EXPOSE 8000
CMD ["graphmap", "serve", "--demo", "--reference"]
