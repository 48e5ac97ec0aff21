/**
 * Vite builds the web app from web/ into web/dist, which the server serves beside /api.
 * In development (`npx vite --config web/vite.config.ts`) /api is proxied to a running server.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The polyfill is for old browsers only; without it the entry carries no extra code.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: { "/api": process.env.THROUGHLINE_API ?? "http://127.0.0.1:3000" },
  },
});
