// `NODE_OPTIONS="--import <this file>"` with LT_LOADED_MODULES=FILE: every module Node's ES module loader
// loads is appended to FILE, one URL a line (test/e2e/bundle.test.ts: which files of dist/ a run reads).
import { register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url);
