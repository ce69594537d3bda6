/**
 * The notes' options (issue 23) -> the run's LlmConfig (pure; throws UsageError): `--notes [PROMPT]`,
 * `--notes-file FILE`, `--llm-model NAME`. The gateway is where the streaming host says (host.ts); the
 * key is the run's key, never a temporary token. Nothing here reaches the network.
 */
import { UsageError } from '../core/errors.js';
import { formatNotesNeedKey } from '../render/notes-messages.js';
import type { Credentials } from '../core/types.js';
import { gatewayLocation, type GatewayLocation } from './host.js';
import type { LlmModel } from './models.js';
import { proxyFor, type ProxyChoice } from '../streaming/proxy.js';

/**
 * The settings this file reads: the same fields, with the same types, as options/raw-options.ts RawOptions
 * (derived from the option table). Written out here because notes/ is below options/ and may not import it;
 * test/unit/options/raw-options.test.ts fails when the two disagree.
 */
export interface NotesRawOptions {
  /** `--notes` alone is true; `--notes "PROMPT"` the prompt. */
  notes?: string | boolean;
  notesFile?: string;
  llmModel?: string;
  listLlmModels?: boolean;
  output?: string;
  force?: boolean;
  append?: boolean;
}

export interface NotesRequest {
  /** The user's prompt; undefined: the default one (summary, decisions, action items, open questions). */
  prompt?: string;
  /** Where the Markdown goes; undefined: stderr only. */
  file?: string;
  /** Replace an existing notes file (--force). */
  overwrite: boolean;
  /** Add to an existing notes file, after a rule (--append, like the transcript). */
  append?: boolean;
}

export interface LlmConfig {
  gateway: GatewayLocation;
  /** --llm-model; undefined: the default (models.ts). */
  model?: string;
  /** The API key; undefined when the run has a temporary token only (then no gateway request can be made). */
  apiKey?: string;
  /** Set with --notes (or --notes-file): notes at the end of the run. */
  notes?: NotesRequest;
  /** Per request; LIVE_TRANSCRIBE_LLM_TIMEOUT_MS overrides the default (tests, slow links). */
  timeoutMs?: number;
  /** The model as the gateway listed it, once checked before the run (prepare.ts). */
  modelInfo?: LlmModel;
  /** The HTTP proxy for the gateway, from the same variables as the streaming connection's (never printed). */
  proxy?: ProxyChoice;
}

/** `meeting.jsonl` -> `meeting.notes.md` (the same name, its extension replaced). */
export function notesPathBeside(output: string): string {
  const slash = Math.max(output.lastIndexOf('/'), output.lastIndexOf('\\'));
  const dot = output.lastIndexOf('.');
  const stem = dot > slash + 1 ? output.slice(0, dot) : output;
  return `${stem}.notes.md`;
}

function refuse(message: string, hint?: string): never {
  throw new UsageError(message, hint);
}

export function resolveLlm(raw: NotesRawOptions, endpoint: string, auth: Credentials, env: Readonly<Record<string, string | undefined>>): LlmConfig {
  const wanted = raw.notes !== undefined && raw.notes !== false ? true : raw.notesFile !== undefined;
  if (typeof raw.notes === 'string' && raw.notes.trim() === '')
    refuse('--notes "" is empty', 'leave the prompt out for the default notes, or say what you want: --notes "list the action items"');
  if (raw.notesFile !== undefined && (raw.notesFile.trim() === '' || raw.notesFile === '-'))
    refuse('--notes-file needs a file name', 'without it the notes go beside -o FILE, or to stderr');
  if (raw.notesFile !== undefined && raw.notesFile === raw.output) refuse('--notes-file and --output name the same file');
  if (raw.llmModel !== undefined && raw.llmModel.trim() === '')
    refuse('--llm-model is empty', 'name a model from: live-transcribe --list-llm-models');
  const apiKey = auth.kind === 'key' ? auth.apiKey : undefined;
  if (wanted && apiKey === undefined) {
    const r = formatNotesNeedKey();
    refuse(r.message, r.hint);
  }
  const file = raw.notesFile ?? (raw.output === undefined ? undefined : notesPathBeside(raw.output));
  const timeout = Number(env.LIVE_TRANSCRIBE_LLM_TIMEOUT_MS);
  const gateway = gatewayLocation(endpoint);
  const proxy = proxyFor(gateway.base, env);
  if (proxy.kind === 'invalid' && wanted) throw proxy.error;
  return {
    gateway,
    ...(proxy.kind === 'proxy' ? { proxy: proxy.proxy } : {}),
    ...(raw.llmModel === undefined ? {} : { model: raw.llmModel.trim() }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(wanted
      ? {
          notes: {
            ...(typeof raw.notes === 'string' ? { prompt: raw.notes } : {}),
            ...(file === undefined ? {} : { file }),
            overwrite: raw.force === true,
            ...(raw.append === true ? { append: true } : {}),
          },
        }
      : {}),
    ...(Number.isInteger(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
  };
}
