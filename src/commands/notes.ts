/**
 * `live-transcribe notes FILE`: the notes of a transcript written by an earlier run (NDJSON, text, SRT or
 * VTT), the same way a run writes them: to FILE's name with `.notes.md` (or --notes-file; `-` is stdout),
 * shown on stderr in a terminal. And `--list-llm-models`: the models the region's gateway serves.
 * Exit codes: 0 written, 1 the gateway failed, 2 a usage mistake (no file, a model not served), 4 the key
 * was refused (401/403).
 */
import { readFile } from 'node:fs/promises';
import { Chalk } from 'chalk';
import { Command, CommanderError } from 'commander';
import { addProgramOptions, addTableOptions } from '../options/program.js';
import { parseApiHost, resolveAuth, type Env } from '../options/resolve.js';
import { streamColors, type ColorSetting, type StreamColors } from '../options/color.js';
import { DEFAULT_HOST } from '../core/defaults.js';
import { AppError, ExitCode, exitCodeFor } from '../core/errors.js';
import { formatPlainError, formatUsageError } from '../render/cli-messages.js';
import { formatGatewayFailure, formatLlmModelList, formatNotesFileExists } from '../render/notes-messages.js';
import { formatError } from '../render/status.js';
import { GatewayError } from '../notes/gateway-error.js';
import { DEFAULT_LLM_MODEL } from '../notes/models.js';
import { notesPathBeside, resolveLlm } from '../notes/options.js';
import { checkModel, fileExists, gatewayFor } from '../notes/prepare.js';
import { readTranscript } from '../notes/read-transcript.js';
import { transcriptLines } from '../notes/transcript-text.js';
import { retrySayer, writeNotes } from '../notes/write.js';

export interface NotesCommandIO {
  stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  env: Env;
  userAgent?: string;
  stderrColorLevel?: 0 | 1 | 2 | 3;
  stdoutColorLevel?: 0 | 1 | 2 | 3;
}

/** The streams' colour, decided by options/color.ts as for a run (the edge's levels; none when not given). */
function colorsOf(io: NotesCommandIO, settings: ColorSetting): StreamColors {
  return streamColors({ stdoutColorLevel: io.stdoutColorLevel ?? 0, stderrColorLevel: io.stderrColorLevel ?? 0 }, settings, io.env);
}

interface NotesFlags {
  prompt?: string;
  notesFile?: string;
  llmModel?: string;
  apiHost?: string;
  apiKey?: string;
  force?: boolean;
  quiet?: boolean;
  color?: boolean;
}

function createNotesProgram(): Command {
  const program = new Command('live-transcribe notes')
    .description(
      "Write notes (summary, decisions, action items, open questions) for a transcript written by live-transcribe, with AssemblyAI's LLM Gateway.",
    )
    .argument('<file>', 'a transcript: NDJSON (.jsonl), text, SRT or VTT');
  return addProgramOptions(addTableOptions(program, 'notes', 'all'), 'notes', 'all').allowExcessArguments(false);
}

function failure(err: unknown, io: NotesCommandIO, theme: InstanceType<typeof Chalk>): number {
  if (err instanceof AppError) {
    io.stderr.write(formatError(err, theme));
    return exitCodeFor(err);
  }
  if (err instanceof GatewayError) {
    io.stderr.write(formatPlainError(formatGatewayFailure(err)));
    return err.kind === 'auth' || err.kind === 'no-access' ? ExitCode.auth : ExitCode.failure;
  }
  throw err;
}

export async function runNotesCommand(argv: string[], io: NotesCommandIO): Promise<number> {
  const program = createNotesProgram();
  let out = '';
  program.exitOverride().configureOutput({ writeOut: (t) => void (out += t), writeErr: (t) => void (out += t), outputError: () => {} });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') {
      io.stdout.write(out);
      return ExitCode.ok;
    }
    io.stderr.write(formatUsageError(err.message, 'live-transcribe notes'));
    return ExitCode.usage;
  }
  const flags = program.opts<NotesFlags>();
  const file = program.args[0]!;
  const theme = new Chalk({ level: colorsOf(io, flags).stderrColorLevel });
  try {
    const auth = resolveAuth({ ...(flags.apiKey === undefined ? {} : { apiKey: flags.apiKey }) }, io.env);
    if (!auth.ok) throw auth.error;
    const target = flags.notesFile ?? notesPathBeside(file);
    const llm = resolveLlm(
      {
        notes: flags.prompt ?? true,
        notesFile: target === '-' ? 'stdout' : target,
        ...(flags.llmModel === undefined ? {} : { llmModel: flags.llmModel }),
        force: flags.force === true,
      },
      parseApiHost(flags.apiHost ?? DEFAULT_HOST),
      auth.auth,
      io.env,
    );
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new AppError(
        'E_INPUT',
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
        { hint: 'give a transcript written by live-transcribe (-o FILE or stdout): .jsonl, .txt, .srt or .vtt' },
      );
    }
    if (target !== '-' && flags.force !== true && (await fileExists(target))) {
      const r = formatNotesFileExists(target);
      throw new AppError('E_USAGE', r.message, { hint: r.hint });
    }
    const say = (line: string): void => void io.stderr.write(`${line}\n`);
    const gateway = gatewayFor(llm, io.userAgent, retrySayer(say));
    const model = await checkModel(llm, gateway, say);
    const lines = transcriptLines(readTranscript(text).turns);
    const toStdout = target === '-';
    const outcome = await writeNotes(
      lines,
      { gateway, model, prompt: flags.prompt },
      {
        ...(toStdout ? {} : { file: target }),
        overwrite: flags.force === true,
        show: toStdout ? { write: (t) => io.stdout.write(t), isTTY: false } : io.stderr,
        say,
        quiet: flags.quiet === true || toStdout,
        theme,
      },
    );
    if (outcome.ok) return ExitCode.ok;
    if (outcome.why === 'empty') return ExitCode.nothingSaid;
    return outcome.error !== undefined && (outcome.error.kind === 'auth' || outcome.error.kind === 'no-access') ? ExitCode.auth : ExitCode.failure;
  } catch (err) {
    return failure(err, io, theme);
  }
}

/** --list-llm-models [--format json] [--api-host H]: the models of the region's gateway (no key needed). */
export async function runListLlmModels(raw: { apiHost?: string; format?: string; color?: boolean }, io: NotesCommandIO): Promise<number> {
  if (raw.format !== undefined && raw.format !== 'json' && raw.format !== 'text') {
    io.stderr.write(formatPlainError('--list-llm-models prints text or, with --format json, JSON'));
    return ExitCode.usage;
  }
  const theme = new Chalk({ level: colorsOf(io, raw).stdoutColorLevel });
  try {
    const llm = resolveLlm({}, parseApiHost(raw.apiHost ?? DEFAULT_HOST), { kind: 'token', token: '' }, io.env);
    const models = await gatewayFor(llm, io.userAgent).listModels();
    if (raw.format === 'json') {
      const rows = models.map((m) => ({
        id: m.id,
        name: m.name ?? null,
        creator: m.creator ?? null,
        context_length: m.contextLength ?? null,
        default: m.id === DEFAULT_LLM_MODEL,
      }));
      io.stdout.write(`${JSON.stringify({ host: new URL(llm.gateway.base).host, default: DEFAULT_LLM_MODEL, models: rows }, null, 2)}\n`);
    } else io.stdout.write(formatLlmModelList(models, new URL(llm.gateway.base).host, DEFAULT_LLM_MODEL, theme));
    return ExitCode.ok;
  } catch (err) {
    return failure(err, io, theme);
  }
}
