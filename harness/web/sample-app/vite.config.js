// Built against the SDK double: the package name resolves to the double's ES module entry (the only change an
// app written for @zoom/videosdk needs; the package stays installed for its types). The dev server sends the
// cross-origin isolation headers Zoom's web sample sends, so SharedArrayBuffer is on there too.
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const double = fileURLToPath(new URL('../double/index.js', import.meta.url));
const catalog = dirname(realpathSync(new URL('../double/exception-codes.json', import.meta.url)));

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [{ find: /^@zoom\/videosdk$/, replacement: double }],
  },
  server: {
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'credentialless' },
    fs: { allow: ['.', dirname(double), catalog] },
  },
});
