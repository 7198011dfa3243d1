import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** newsmux's own version, from package.json. */
export const VERSION: string = pkg.version;

/** Sent with every request so that publishers can see who polls them and how to reach us. */
export const PRODUCT_USER_AGENT = `newsmux/${VERSION} (+https://github.com/newsmux/newsmux)`;
