import { tanstackStart } from "@tanstack/react-start/plugin/vite"
import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"

// `vite build` writes dist/client (static assets, served by the platform process) and
// dist/server/server.js (a fetch handler the platform mounts under its dashboard port).
export default defineConfig({
  plugins: [tanstackStart({ srcDirectory: "src" }), react()],
  build: {
    sourcemap: true,
    // The signed-in app is one chunk with React, Effect and the RPC schemas (~680 kB, ~200 kB
    // gzipped), cached immutably by hash; splitting it buys little for a dashboard.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // The framework's own modules import helpers they do not use; not ours to fix, only noise.
      onwarn: (warning, warn) => {
        if (warning.code !== "UNUSED_EXTERNAL_IMPORT") warn(warning)
      },
    },
  },
  logLevel: "warn",
})
