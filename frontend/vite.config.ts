/// <reference types="vitest" />
// The map is served by graphmap's Starlette app: index.html at /, the bundle
// under /assets. `npm run dev` proxies the API to a running `graphmap serve`.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: { outDir: "dist", assetsDir: "assets", emptyOutDir: true, target: "es2022",
           chunkSizeWarningLimit: 600 },
  server: {
    proxy: { "/graphql": "http://127.0.0.1:8000", "/export": "http://127.0.0.1:8000" },
  },
  test: { environment: "node", include: ["test/**/*.test.ts"] },
});
