/**
 * `live-transcribe dictate`: claims the one instance of this user (or, with --toggle, stops the running one),
 * finds what can type here before any session is opened, then runs a normal transcription with one more sink
 * that types each final turn. A stop that was asked for (the toggle, SIGINT, SIGTERM) is a success.
 */
import { tmpdir, userInfo } from 'node:os';
import { execCommand, isOnPath } from '../system/exec.js';
import { createX11Keymap } from './x11-keymap.js';
import { ExitCode } from '../core/errors.js';
import * as say from '../render/dictation-messages.js';
import type { Sink } from '../render/sinks.js';
import { chooseBackend } from './detect.js';
import { claimInstance, instancePath, releaseInstance, requestStopByFile, stopRequested, watchStopFile, type Claim } from './instance.js';
import { notificationStep } from './notify.js';
import type { DictateOptions } from './options.js';
import { askToStop, isDictationAlive, waitForExit } from './processes.js';
import { createStepRunner } from './run-step.js';
import { createTyper } from './typer.js';

/** A run as the process edge sees it (app/io.ts Run). */
export interface RunHandle {
  done: Promise<number>;
  requestStop(): void;
  forceStop(): Promise<number>;
}

export interface DictateIO {
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  pid: number;
  /** Hands the process edge what its signals stop (SIGINT, SIGTERM). */
  onRun?: (run: RunHandle) => void;
}

export interface DictateSteps {
  /** Resolves the run's settings (the API key...); a number is the exit code of a mistake, already printed. */
  resolve(): Promise<{ quiet: boolean } | number>;
  /** Starts the transcription with the typing sink added to its outputs. */
  start(typing: Sink): RunHandle;
}

const TOGGLE_WAIT_MS = 20_000;
const TYPING_TIMEOUT_MS = 10_000;

export async function runDictation(options: DictateOptions, io: DictateIO, steps: DictateSteps): Promise<number> {
  // The edge's signals reach this handle from the start: a stop asked for while getting ready (a second
  // press of the shortcut, even before the instance file is written) ends the run as soon as it exists.
  let stopAsked = false;
  let run: RunHandle | undefined;
  let settle: (code: number) => void = () => undefined;
  io.onRun?.({
    done: new Promise<number>((resolve) => (settle = resolve)),
    requestStop: () => requestStop(),
    forceStop: () => run?.forceStop() ?? Promise.resolve(ExitCode.forced),
  });
  const requestStop = (): void => {
    stopAsked = true;
    run?.requestStop();
  };
  const code = await claimAndRun(options, io, { stopAsked: () => stopAsked, started: (r) => (run = r), requestStop, ...steps });
  settle(code);
  return code;
}

type RunSteps = DictateSteps & { stopAsked(): boolean; started(run: RunHandle): void; requestStop(): void };

async function claimAndRun(options: DictateOptions, io: DictateIO, steps: RunSteps): Promise<number> {
  const alive = (pid: number): Promise<boolean> => isDictationAlive(pid, io.env, io.platform);
  let path: string;
  try {
    path = instancePath(io.env, { uid: userInfo().uid, tmpdir: tmpdir() });
  } catch (err) {
    return fail(io, say.formatInstanceProblem((err as Error).message));
  }
  const claim = await claimInstance(path, io.pid, { isAlive: alive });
  if (claim.kind === 'running') return options.toggle ? stopRunning(claim, io, alive) : fail(io, say.formatAlreadyRunning(claim.record.pid));
  if (claim.replacedStale !== undefined) io.stderr.write(say.formatStaleInstance(claim.replacedStale));
  // A --toggle on Windows asks through a file beside the instance file (elsewhere: SIGTERM).
  const unwatch = watchStopFile(path, claim.record, steps.requestStop);
  try {
    return await dictateRun(options, io, steps);
  } finally {
    unwatch();
    releaseInstance(path, claim.record);
  }
}

function fail(io: DictateIO, message: string): number {
  io.stderr.write(message);
  return ExitCode.failure;
}

/** --toggle with a dictation running: ask it to stop, and wait (bounded) until it has typed its last words. */
async function stopRunning(claim: Extract<Claim, { kind: 'running' }>, io: DictateIO, alive: (pid: number) => Promise<boolean>): Promise<number> {
  const { pid } = claim.record;
  io.stderr.write(say.formatToggleStopping(pid));
  // A press while it is stopping already only waits: a second SIGTERM would force the stop (last words lost).
  const already = stopRequested(claim.path, claim.record);
  requestStopByFile(claim.path, claim.record);
  if (!already && io.platform !== 'win32' && !(await askToStop(pid, io.env, io.platform)))
    return (await alive(pid)) ? fail(io, say.formatToggleStuck(pid, 0)) : ExitCode.ok;
  return (await waitForExit(pid, TOGGLE_WAIT_MS, alive)) ? ExitCode.ok : fail(io, say.formatToggleStuck(pid, TOGGLE_WAIT_MS / 1000));
}

async function dictateRun(options: DictateOptions, io: DictateIO, steps: RunSteps): Promise<number> {
  const runStep = createStepRunner(io.env, TYPING_TIMEOUT_MS);
  const notify = async (n: { title: string; body: string }): Promise<void> => {
    const step = options.notify ? notificationStep(n.title, n.body, io.platform) : undefined;
    if (step !== undefined) await runStep(step);
  };
  // Started from a shortcut, no one reads stderr: a dictation that cannot start says so on the desktop too.
  const chosen = chooseBackend(io.env, io.platform, (c) => isOnPath(c, io.env, io.platform), options.typeWith);
  if (!chosen.ok) {
    const message = say.formatNoTypingBackend(chosen, packageManager(io), options.typeWith);
    await notify(say.notifyCannotStart(message));
    return fail(io, message);
  }
  const settings = await steps.resolve();
  if (typeof settings === 'number') {
    await notify(say.notifyFailed(settings));
    return settings;
  }
  if (steps.stopAsked()) return ExitCode.ok;
  // xdotool: non-ASCII characters bound to keys while dictation runs (x11-keymap.ts), where xmodmap is there.
  const keymap = chosen.backend.name === 'xdotool' && isOnPath('xmodmap', io.env, io.platform) ? createX11Keymap(execCommand, io.env) : undefined;
  const typer = createTyper({
    backend: chosen.backend,
    ...(keymap === undefined ? {} : { prepare: (text: string) => keymap.prepare(text) }),
    ...(chosen.clipboard === undefined ? {} : { clipboard: chosen.clipboard }),
    enter: options.enter,
    newline: options.newline,
    run: runStep,
    note: (kind, detail) => {
      if (kind === 'failed') io.stderr.write(say.formatTypingFailed(detail));
      else if (!settings.quiet) io.stderr.write(kind === 'clipboard' ? say.formatClipboardNote(detail) : say.formatNoClipboardNote(detail));
    },
  });
  // Not awaited: a slow notification daemon must not delay listening.
  const started = notify(say.NOTIFY_STARTED);
  const run = steps.start(typer);
  steps.started(run);
  if (steps.stopAsked()) run.requestStop();
  const code = await run.done;
  // The last words are typed before the instance is released and the process ends.
  await typer.drain();
  await keymap?.restore();
  // Nothing said before a stop that was asked for is a success here: dictation was turned off.
  const result = code === ExitCode.nothingSaid ? ExitCode.ok : code;
  await started;
  await notify(result === ExitCode.ok ? say.NOTIFY_STOPPED : say.notifyFailed(result));
  return result;
}

function packageManager(io: DictateIO): say.PackageManager {
  const has = (c: string): boolean => isOnPath(c, io.env, io.platform);
  if (io.platform === 'darwin') return 'brew';
  return (['apt-get', 'dnf', 'pacman', 'zypper'] as const).find(has);
}
