/**
 * Module loader hooks (https://nodejs.org/docs/latest-v20.x/api/module.html#customization-hooks) behind
 * ts-loader.mjs: the project's `.ts` files are transpiled with esbuild under the project's tsconfig.json (import
 * attributes such as `with { type: 'json' }` are kept, the target being this Node). Everything else is left to Node.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const tsconfig = JSON.parse(readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8'));
const options = {
  loader: 'ts',
  format: 'esm',
  target: `node${process.versions.node}`,
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
};

/**
 * @param {string} url - the module's URL.
 * @param {object} context - Node's load context.
 * @param {Function} next - the next loader.
 * @returns {Promise<{ format: string; source?: string | Buffer; shortCircuit?: boolean }>} the module.
 */
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/')) {
    const path = fileURLToPath(url);
    const { code } = transformSync(readFileSync(path, 'utf8'), { ...options, sourcefile: path });
    return { format: 'module', source: code, shortCircuit: true };
  }
  return next(url, context);
}
