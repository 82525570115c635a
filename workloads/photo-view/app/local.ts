/*
 * `npm run app`: the app on this machine. The app itself (src/main.ts, the image's entry point) takes no
 * arguments, and the image's build context holds only src/, so the command line is checked here, before
 * the app loads: --help answers and a bad argument stops it, without starting the server.
 */
import { optionsOrExit, parseArgs } from '../../../scripts/usage.mjs';

const USAGE = `usage: npm run app [-- --help]

Runs the photo-view app (workloads/photo-view/app/src/main.ts) from its TypeScript, without an image, with
the variables in workloads/photo-view/app/local.env: http://127.0.0.1:8080, the local settings and the FAKE
local secrets. Variables set in the shell win: HOST, PORT, APP_VERSION, PHOTO_VIEW_SETTINGS_DIR,
PHOTO_VIEW_SECRETS_DIR, PHOTO_VIEW_PHOTOS_DIR (e.g. PORT=9000 npm run app). Ctrl-C drains it like SIGTERM.

  --help   this text`;

// `node scripts/run-app.mjs workloads/photo-view/app/local.ts ARGS` (the entry is the first argument).
optionsOrExit(parseArgs(process.argv.slice(3), {}), USAGE);
void import('./src/main');
