import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer builds once and is served both by Electron (app:// protocol) and the web dashboard.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
