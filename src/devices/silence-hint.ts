/** Moved to render/silence-hint.ts (a message); kept so src/app.ts's import still works. */
export { deviceLabel, formatSilenceHint, type SilenceHint, type SilenceHintOptions } from '../render/silence-hint.js';
