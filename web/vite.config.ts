// The web app's build. In development (`npm start` runs it beside the API) the app's `/amplify_outputs.json` is the
// running API's, so the page reads its endpoints the way the deployed app reads the file CloudFront serves beside it.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The local API whose outputs file the dev server hands out; `npm start` sets it. */
const apiUrl = process.env.NOTES_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  // The SDK from its TypeScript sources: edits to client/src show up without a rebuild.
  resolve: { conditions: ['@appsync-notes/source'] },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: { '/amplify_outputs.json': { target: apiUrl, changeOrigin: true } },
  },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
});
