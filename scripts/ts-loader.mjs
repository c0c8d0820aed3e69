/**
 * Runs the TypeScript sources directly on Node: `node --import ./scripts/ts-loader.mjs src/main.ts`. Every `.ts`
 * module is transpiled by esbuild on load (types stripped, nothing else changed) and stack traces are mapped back
 * to the sources.
 *
 * Used instead of tsx, which always turns on esbuild's `keepNames`: every named function expression is then wrapped
 * in a call that redefines its `name` property each time the expression is evaluated, which made the forecast
 * engine (closures created per dose and per series) about 20% slower. Without identifier minification the names
 * are kept by JavaScript itself, so the option buys nothing here.
 */
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./ts-loader-hooks.mjs', import.meta.url);
