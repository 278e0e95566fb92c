import type { FakeResponse } from './fake-http-types.js';
import { errorResponse } from './fake-responses.js';
import { CONSOLE_PAGE } from './fake-console-page.js';
import { CONSOLE_SCRIPT } from './fake-console-script.js';
import { CONSOLE_STYLE } from './fake-console-style.js';

/** The console's files under `/_fake/ui/`, by name (`''` is the page itself). */
const ASSETS: Readonly<Record<string, readonly [type: string, body: string]>> = {
  '': ['text/html; charset=utf-8', CONSOLE_PAGE],
  'console.js': ['text/javascript; charset=utf-8', CONSOLE_SCRIPT],
  'console.css': ['text/css; charset=utf-8', CONSOLE_STYLE],
  // Named in the page, so a browser never asks for a missing /favicon.ico.
  'icon.svg': [
    'image/svg+xml',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2f6fde"/><path d="M3 9l10-5-3 9-2-3z" fill="#fff"/></svg>\n',
  ],
};

/**
 * A file of the fake server's web console (`GET /_fake/ui` and `/_fake/ui/<name>`). The files
 * are strings compiled into the package, so the console works offline and from any build.
 *
 * @param name - the file name after `/_fake/ui/`; `''` for the page.
 * @returns the file, never cached; 404 when there is no such file.
 * @example
 * consoleAsset('console.js').headers?.['content-type']; // 'text/javascript; charset=utf-8'
 */
export function consoleAsset(name: string): FakeResponse {
  const asset = ASSETS[name];
  if (!asset) return errorResponse(404, `the console has no file "${name}"`);
  const [type, body] = asset;
  return {
    status: 200,
    headers: {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}
