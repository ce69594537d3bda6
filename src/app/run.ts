/**
 * A run, as its phases: prepare (inputs, output file, saved audio), connect (the first session of every
 * source begins, or the run ends), stream (until a stop reason), shut down (the rest of the audio,
 * Terminate, the last words, the summary, the exit code). A run has one channel per source: one as it always
 * had, or several for a meeting (issue 13: the microphone and the system audio, one session each, one
 * transcript). The parts hold the state; this file only orders them. Never touches `process`: streams, env
 * and stop requests come in through RunIO.
 */
import type { AudioSource } from '../audio/source.js';
import type { Config } from '../options/resolve.js';
import { AppError, ErrorCode, ExitCode, exitCodeFor } from '../core/errors.js';
import { END_OF_INPUT_RECONNECT_WAIT_MS } from '../core/defaults.js';
import { formatEndOfInputOffline } from '../render/recovery-messages.js';
import { DEFAULT_MICROPHONE_LABEL, type SourceSpec } from '../options/source-specs.js';
import { KEY_HELP } from '../system/keys.js';
import * as say from '../render/messages.js';
import type { Channel } from './channel.js';
import { openChannels } from './open-channels.js';
import { startControls, type Controls } from './controls.js';
import type { Run, RunIO } from './io.js';
import { createOutputs, outputSettings, type Outputs } from './outputs.js';
import type { RunNotes } from '../notes/run-notes.js';
import { createRunTranscript, type RunTranscript } from './run-transcript.js';
import { recordingLines, runView } from './run-view.js';
import { createSources, type RunSources } from './sources.js';
import { createStopConditions } from './stop-conditions.js';
import { lostResult, summarize } from './summary.js';
import { chooseExitCode, createStopLatch, stopError, type StopReason } from './stop.js';
import { reportKeptSpool } from '../recovery/spool-report.js';
import { logEvents, startRecovery, RECOVERY_SETTLE_MS, type Recoverer } from './run-recovery.js';
import { rewriteInTimeOrder } from '../recovery/rewrite-output.js';
import type { TranscriptEvent } from '../transcript/records.js';

export type { Run, RunIO, OutStream } from './io.js';

const TERMINATION_TIMEOUT_MS = 5000;

/** One run's parts, and its phases as methods: the state is in the parts, the order is here. */
class RunPhases {
  readonly latch = createStopLatch();
  readonly outputs: Outputs;
  readonly specs: readonly SourceSpec[];
  readonly sources: AudioSource[] = [];
  readonly channels: Channel[] = [];
  readonly runSources: RunSources;
  readonly transcript: RunTranscript;
  readonly checkStops: ReturnType<typeof createStopConditions>;
  /** The LLM notes and the question key (undefined without an LLM config); set by main() before the run opens. */
  notes: RunNotes | undefined;
  private controls: Controls | undefined;
  /** Issue 22: gaps past the replay bound, recovered through the pre-recorded API. */
  private recoverer: Recoverer | undefined;
  private readonly eventLog: TranscriptEvent[] = [];
  /** A Ctrl+C after the run began to stop: ends the wait of a file's end for a reconnect (issue 19.8). */
  lateStop: () => void = () => undefined;
  private readonly lateStopped = new Promise<void>((resolve) => (this.lateStop = resolve));

  constructor(
    private readonly config: Config,
    private readonly io: RunIO,
  ) {
    const { latch, channels } = this;
    // Issue 22: with recovery the -o file is written again in time order at the end: keep its events.
    this.outputs = logEvents(createOutputs(outputSettings(config), io, latch.stop), config, this.eventLog);
    this.specs = config.sources ?? [{ kind: 'microphone', label: DEFAULT_MICROPHONE_LABEL }];
    // The one transcript is the only way events reach the outputs.
    this.transcript = createRunTranscript({
      sources: this.specs,
      settings: config.stop,
      output: this.outputs,
      onStop: (kind) => latch.stop({ kind }),
      expectTwin: () => channels[0]?.expectTwin ?? false,
      audioSentMs: (label) => this.runSources.sentMsOf(label),
    });
    this.runSources = createSources({
      specs: this.specs,
      channels,
      outputs: this.outputs,
      transcript: this.transcript,
      stop: latch.stop,
      terminationTimeoutMs: TERMINATION_TIMEOUT_MS,
    });
    this.checkStops = createStopConditions({ settings: config.stop, sources: this.runSources.state, transcript: this.transcript, stop: latch.stop });
  }

  private get status(): Outputs['status'] {
    return this.outputs.status;
  }

  finish(code: number): number {
    this.notes?.stop();
    this.transcript.close();
    this.controls?.stop();
    for (const ch of this.channels) ch.path.drop();
    // Issue 22: a forced stop during an outage keeps the replay buffer too (done already on every other end).
    for (const ch of this.channels) ch.connection.releaseUnheard();
    // Issue 22: the audio the service missed, kept on disk, and how to transcribe it.
    reportKeptSpool(
      this.channels.map((ch) => ({ spool: ch.spool, label: ch.label })),
      (t) => this.outputs.status.warn(t),
      (e) => this.outputs.emit(e),
    );
    const closed = this.outputs.closeAll(code);
    if ((this.recoverer?.recoveredMs ?? 0) > 0) rewriteInTimeOrder(this.config.output, this.eventLog, String(this.io.pid ?? 0));
    return closed;
  }

  fail(error: AppError): number {
    this.transcript.error(error);
    this.outputs.status.error(error);
    return this.finish(exitCodeFor(error));
  }

  closeAll(): Promise<unknown> {
    return Promise.all([...this.channels.map((ch) => ch.connection.close()), ...this.sources.map((s) => s.stop())]);
  }

  async main(): Promise<number> {
    this.notes = await this.openNotes();
    const prepared = await this.prepare();
    if (prepared instanceof AppError) return this.fail(prepared);
    this.recoverer = startRecovery({
      config: this.config,
      channels: this.channels,
      emit: (event) => this.transcript.recovered(event),
      status: this.status,
      reserveIndexes: (n) => this.transcript.reserveIndexes(n),
    });
    const ended = await this.connect();
    if (ended !== undefined) return ended;
    await this.stream();
    const reason = await this.latch.stopped;
    if (this.latch.forced) return ExitCode.forced;
    const code = await this.shutDown(reason);
    // Issue 23: the notes, once the transcript is closed; they never change the exit code.
    if (!this.latch.forced) await this.notes?.atEnd();
    return code;
  }

  /** Keys on an interactive terminal, unless standard input carries the audio. */
  private get keys(): boolean {
    return this.io.stdin.isTTY === true && this.config.input.kind !== 'stdin';
  }

  /**
   * Issue 23: the notes (--notes) and the question key (keys on a terminal) keep the turns from the start. Their
   * code is loaded only for a run that can use them (scripts/bundle.mjs: a plain run loads one file).
   */
  private async openNotes(): Promise<RunNotes | undefined> {
    const { llm } = this.config;
    if (llm === undefined || (llm.notes === undefined && !this.keys)) return undefined;
    const { createRunNotes } = await import('../notes/run-notes.js');
    const notes = createRunNotes({
      llm,
      userAgent: this.io.userAgent,
      stderr: this.io.stderr,
      quiet: this.config.quiet,
      theme: this.outputs.errTheme,
    });
    this.outputs.tap(notes.collect);
    return notes;
  }

  /** Everything about the inputs and the output file is checked before connecting (open-channels.ts). */
  private prepare(): Promise<AppError | undefined> {
    return openChannels({
      config: this.config,
      io: this.io,
      specs: this.specs,
      outputs: this.outputs,
      runSources: this.runSources,
      checkStops: this.checkStops,
      transcript: this.transcript,
      sources: this.sources,
      channels: this.channels,
    });
  }

  /** Resolves to undefined once every source's first session began, or to the exit code of a run that ends here. */
  private async connect(): Promise<number | undefined> {
    // A microphone starts at once (it warms up while we connect; its audio waits for Begin).
    this.runSources.startClock();
    for (const ch of this.channels) if (ch.source.live) ch.path.startInput();
    // Issue 22: with --keep-recording live audio goes to the timeline at once, so a start without the service spools like an outage.
    if (this.config.keepRecording === true) for (const ch of this.channels) if (ch.source.live) ch.path.attach(ch.connection);
    void this.status.spin(say.formatConnecting(new URL(this.config.endpoint).host));
    const first = await Promise.race([
      Promise.all(
        this.channels.map((ch, i) => ch.connection.start().catch((error: unknown) => Promise.reject(this.runSources.nameError(i, error)))),
      ).then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ error }),
      ),
      this.latch.stopped.then((reason) => ({ reason })),
    ]);
    if ('ok' in first) return undefined;
    // One source that cannot begin ends the run: every session that did begin is told to end.
    if ('reason' in first || this.channels.length > 1) await Promise.all(this.channels.map((ch) => ch.connection.close()));
    await Promise.all(this.channels.map((ch) => ch.source.stop()));
    this.status.stopSpinner();
    if ('error' in first) return this.fail(first.error instanceof AppError ? first.error : new AppError(ErrorCode.network, String(first.error)));
    if (this.latch.forced) return ExitCode.forced;
    const error = stopError(first.reason);
    if (error !== undefined) return this.fail(error);
    this.status.info(say.formatStoppedBeforeStart());
    return this.finish(chooseExitCode({ finals: 0, lostMs: 0 }));
  }

  private async stream(): Promise<void> {
    for (const ch of this.channels) ch.begin();
    this.status.stopSpinner();
    this.runSources.began();
    const keys = this.keys;
    const howToStop = say.formatHowToStop(keys ? KEY_HELP : undefined);
    const [first] = this.channels;
    if (first === undefined) return;
    if (first.source.live) {
      for (const line of await recordingLines(this.runSources.state)) {
        if (this.latch.forced) return;
        this.status.info(line);
      }
      this.status.info(say.formatListening(howToStop));
    } else {
      this.status.info(say.formatStreamingFile(first.source.label, first.source.durationMs, howToStop));
      first.path.startInput();
    }
    this.controls = startControls({
      channels: this.channels,
      view: () => runView(this.runSources.state),
      info: (t) => this.status.info(t),
      keys: keys ? (this.io.stdin as Parameters<typeof startControls>[0]['keys']) : undefined,
      onQuit: () => this.latch.stop({ kind: 'user' }),
      onInterrupt: () => (this.io.onInterrupt === undefined ? this.latch.stop({ kind: 'user' }) : this.io.onInterrupt()),
      // With stdout in a pipe, the transcript may come back to this terminal (`| tee`) and land in the bar.
      bar:
        this.io.stderr.isTTY === true && !this.config.quiet
          ? { terminal: this.outputs.terminal, theme: this.outputs.errTheme, stderr: this.io.stderr }
          : undefined,
      question: this.notes?.questionPrompt({ bar: (t) => this.outputs.terminal.bar(t), say: (l) => this.outputs.terminal.status(`${l}\n`) }),
    });
  }

  private async shutDown(reason: StopReason): Promise<number> {
    this.controls?.stop();
    const running = this.runSources.running();
    for (const ch of running) ch.path.unpause();
    this.outputs.terminal.bar('');
    if (reason.kind === 'session-ended') {
      await Promise.all(this.channels.map((ch) => ch.source.stop()));
      for (const ch of this.channels) ch.path.drop();
      await this.runSources.stopped();
      this.transcript.flush();
      return this.fail(reason.error);
    }
    const [first] = this.channels;
    if (reason.kind === 'end-of-input' && first !== undefined) {
      await first.path.finishRecorded();
      // A file that ends during an outage: the held audio goes to the next session (issue 19, real timings),
      // unless Ctrl+C says not to wait, or the outage lasts: then the held audio goes to the spool (issue 22).
      // With --keep-recording the wait has no bound but the spool's room (the connection gives up when it is full).
      const waitMs = this.config.keepRecording === true ? undefined : END_OF_INPUT_RECONNECT_WAIT_MS;
      if (first.connection.state === 'reconnecting') this.status.info(formatEndOfInputOffline(waitMs));
      let timer: NodeJS.Timeout | undefined;
      const bound = waitMs === undefined ? undefined : new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
      await Promise.race([first.connection.settled(), this.lateStopped, ...(bound === undefined ? [] : [bound])]);
      clearTimeout(timer);
    } else {
      if (!('error' in reason)) this.status.info(say.formatStopping(reason.kind));
      await Promise.all(running.map((ch) => ch.path.stopInput()));
    }
    const results = await Promise.all(running.map((ch) => ch.connection.terminate(TERMINATION_TIMEOUT_MS)));
    await this.recoverer?.settle(RECOVERY_SETTLE_MS); // issue 22: gaps still being recovered
    await this.runSources.stopped();
    if (this.latch.forced) return ExitCode.forced;
    this.runSources.flushAudio();
    const saved = await this.outputs.closeSavedAudio();
    if (this.latch.forced) return ExitCode.forced;
    if (saved !== undefined && saved.error === undefined) this.status.info(say.formatAudioSaved(saved.path, saved.durationMs));
    this.transcript.flush();
    this.runSources.clearPartials();
    // Issue 19.8: stopped (Ctrl+C, a stop condition) during an outage: a transcript with a hole (exit 6), said.
    const outageMs = stopError(reason) === undefined ? results.reduce((ms, r) => ms + (r.untranscribedMs ?? 0), 0) : 0;
    const lost = outageMs > 0 ? undefined : lostResult(this.runSources.state, running, results);
    // Issue 22: a run that ends offline with the missed audio kept on disk ends with a hole (exit 6), not an error.
    if (lost !== undefined && !this.channels.some((ch) => ch.spool.spooledMs > ch.spool.recoveredMs)) return this.fail(lost);
    if (outageMs > 0) this.status.warn(say.formatStoppedInOutage(outageMs));
    summarize({ sources: this.runSources.state, transcript: this.transcript, status: this.status, reason, run: running, results });
    const error = stopError(reason);
    const lostMs = this.channels.reduce(
      (ms, ch) => ms + Math.max(0, Math.max(ch.connection.totals.lostMs, ch.spool.spooledMs) - ch.spool.recoveredMs),
      outageMs,
    );
    if (error !== undefined) return this.fail(error);
    const code = chooseExitCode({ finals: this.transcript.turns, lostMs, sourcesFailed: this.runSources.incomplete ? 1 : 0 });
    if (code === ExitCode.nothingSaid) this.status.info(say.formatNothingHeard()); // issue 24.9
    return this.finish(code);
  }
}

export function startTranscription(config: Config, io: RunIO): Run {
  const run = new RunPhases(config, io);
  const done = run.main().catch((err: unknown) => {
    run.outputs.status.error(err);
    void run.closeAll();
    return run.finish(exitCodeFor(err));
  });
  return {
    done,
    requestStop: () => {
      // Issue 23: Ctrl+C while the notes are written skips them.
      if (run.notes?.skip() !== true) {
        run.latch.stop({ kind: 'user' });
        run.lateStop();
      }
    },
    async forceStop(): Promise<number> {
      if (run.notes?.skip() === true) return done;
      run.latch.force();
      run.transcript.flush();
      run.outputs.terminal.bar('');
      run.outputs.status.warn(say.formatForcedStop());
      run.finish(ExitCode.forced);
      run.latch.stop({ kind: 'user' });
      await run.closeAll();
      return ExitCode.forced;
    },
  };
}
