/**
 * A run, as its phases: prepare (inputs, output file, saved audio), connect (the first session of every
 * source begins, or the run ends), stream (until a stop reason), shut down (the rest of the audio,
 * Terminate, the last words, the summary, the exit code). A run has one channel per source: one as it always
 * had, or several for a meeting (issue 13: the microphone and the system audio, one session each, one
 * transcript). The parts hold the state; this file only orders them. Never touches `process`: streams, env
 * and stop requests come in through RunIO.
 */
import type { AudioSource } from '../audio/source.js';
import type { Config } from '../config.js';
import { AppError, ErrorCode, ExitCode, exitCodeFor } from '../errors.js';
import { DEFAULT_MICROPHONE_LABEL, type SourceSpec } from '../input-spec/sources.js';
import { KEY_HELP } from '../input/keys.js';
import * as say from '../render/messages.js';
import { createAssembler } from '../transcript/assembler.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { createStopPhraseEmit, createStopPhraseMatcher } from '../transcript/stop-phrase.js';
import { createChannel, type Channel } from './channel.js';
import { startControls, type Controls } from './controls.js';
import type { Run, RunIO } from './io.js';
import { createMeeting, type Meeting } from './meeting.js';
import { openSources, type OpenedSource } from './open-sources.js';
import { createOutputs } from './outputs.js';
import { createSavedMix, type SavedMix } from './saved-mix.js';
import { chooseExitCode, createStopLatch, stopError, type StopReason } from './stop.js';

export type { Run, RunIO, OutStream } from './io.js';

const TERMINATION_TIMEOUT_MS = 5000;

/**
 * The assembler's emit: through the stop phrase when there is one (issue 14), counting the final turns
 * written (a turn that was only the phrase is not one): none at all is exit 5, nothing was said.
 */
function countedEmit(config: Config, emit: (event: TranscriptEvent) => void, onStopPhrase: () => void): { emit: (event: TranscriptEvent) => void; readonly turns: number } {
  let turns = 0;
  const counted = (event: TranscriptEvent): void => {
    if (event.type === 'turn') turns += 1;
    emit(event);
  };
  const phrases = config.stop.stopPhrases;
  return {
    emit: phrases === undefined ? counted : createStopPhraseEmit(createStopPhraseMatcher(phrases), counted, onStopPhrase),
    get turns() {
      return turns;
    },
  };
}

export function startTranscription(config: Config, io: RunIO): Run {
  const latch = createStopLatch();
  const outputs = createOutputs(config, io, latch.stop);
  const { status } = outputs;
  const specs: readonly SourceSpec[] = config.sources ?? [{ kind: 'microphone', label: DEFAULT_MICROPHONE_LABEL }];
  const sources: AudioSource[] = [];
  const channels: Channel[] = [];
  let controls: Controls | undefined;
  const meeting: Meeting = createMeeting({ config, specs, channels, outputs, stop: latch.stop, terminationTimeoutMs: TERMINATION_TIMEOUT_MS });
  const written = countedEmit(config, meeting.emit, () => latch.stop({ kind: 'stop-phrase' }));
  const transcript = createAssembler({
    emit: written.emit,
    expectTwin: () => channels[0]?.expectTwin ?? false,
    audioSentMs: (label) => meeting.sentMsOf(label),
    ...(config.stop.once ? { onFirstFinal: () => latch.stop({ kind: 'once' }) } : {}),
  });
  const finish = (code: number): number => {
    transcript.close();
    meeting.close();
    controls?.stop();
    for (const ch of channels) ch.path.drop();
    return outputs.closeAll(code);
  };
  const fail = (error: AppError): number => {
    outputs.report(error);
    return finish(exitCodeFor(error));
  };
  const closeAll = (): Promise<unknown> => Promise.all([...channels.map((ch) => ch.connection.close()), ...sources.map((s) => s.stop())]);

  /** Everything about the inputs and the output file is checked before connecting. */
  async function prepare(): Promise<AppError | undefined> {
    try {
      const opened = await openSources({ config, io, specs, warn: (t) => status.warn(t), onOpened: (s) => sources.push(s) });
      if (opened instanceof AppError) return opened;
      outputs.openFile();
      const [first] = opened;
      if (first === undefined) return undefined;
      const savedAudio = await outputs.openSavedAudio(first.audio.format, opened.length);
      const mix =
        savedAudio !== undefined && meeting.several
          ? createSavedMix({ channels: opened.length, sampleRateHz: first.audio.format.sampleRateHz, encoding: first.audio.format.encoding, out: savedAudio })
          : undefined;
      opened.forEach((s, i) => channels.push(openChannel(s, i, mix ?? savedAudio)));
      meeting.useMix(mix);
      return undefined;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
  }

  function openChannel(s: OpenedSource, index: number, saved: SavedMix | { write(pcm: Buffer): void } | undefined): Channel {
    const savedAudio = saved !== undefined && 'writerFor' in saved ? saved.writerFor(index, () => meeting.offsetOf(index)) : saved;
    return createChannel({
      config,
      io,
      source: s.audio,
      savedAudio,
      transcript,
      emit: outputs.emit,
      status,
      stop: meeting.stopFor(index),
      onSent: (sentMs) => meeting.sent(index, sentMs, transcript.speechEndMs),
      ...(meeting.several ? { meeting: meeting.channelPart(index, s) } : {}),
    });
  }

  /** Resolves to undefined once every source's first session began, or to the exit code of a run that ends here. */
  async function connect(): Promise<number | undefined> {
    // A microphone starts at once (it warms up while we connect; its audio waits for Begin).
    meeting.startClock();
    for (const ch of channels) if (ch.source.live) ch.path.startInput();
    void status.spin(say.formatConnecting(new URL(config.endpoint).host));
    const first = await Promise.race([
      Promise.all(channels.map((ch, i) => ch.connection.start().catch((error: unknown) => Promise.reject(meeting.nameError(i, error))))).then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ error }),
      ),
      latch.stopped.then((reason) => ({ reason })),
    ]);
    if ('ok' in first) return undefined;
    // One source that cannot begin ends the run: every session that did begin is told to end.
    if ('reason' in first || channels.length > 1) await Promise.all(channels.map((ch) => ch.connection.close()));
    await Promise.all(channels.map((ch) => ch.source.stop()));
    status.stopSpinner();
    if ('error' in first) return fail(first.error instanceof AppError ? first.error : new AppError(ErrorCode.network, String(first.error)));
    if (latch.forced) return ExitCode.forced;
    const error = stopError(first.reason);
    if (error !== undefined) return fail(error);
    status.info(say.formatStoppedBeforeStart());
    return finish(chooseExitCode({ finals: 0, lostMs: 0 }));
  }

  async function stream(): Promise<void> {
    for (const ch of channels) ch.begin();
    status.stopSpinner();
    meeting.began();
    // Keys on an interactive terminal, unless standard input carries the audio.
    const keys = io.stdin.isTTY === true && config.input.kind !== 'stdin';
    const howToStop = say.formatHowToStop(keys ? KEY_HELP : undefined);
    const [first] = channels;
    if (first === undefined) return;
    if (first.source.live) {
      for (const line of await meeting.recordingLines()) {
        if (latch.forced) return;
        status.info(line);
      }
      status.info(say.formatListening(howToStop));
    } else {
      status.info(say.formatStreamingFile(first.source.label, first.source.durationMs, howToStop));
      first.path.startInput();
    }
    controls = startControls({
      channels,
      view: meeting.view,
      info: (t) => status.info(t),
      keys: keys ? (io.stdin as Parameters<typeof startControls>[0]['keys']) : undefined,
      onQuit: () => latch.stop({ kind: 'user' }),
      onInterrupt: () => (io.onInterrupt === undefined ? latch.stop({ kind: 'user' }) : io.onInterrupt()),
      // With stdout in a pipe, the transcript may come back to this terminal (`| tee`) and land in the bar.
      bar: io.stderr.isTTY === true && !config.quiet && io.stdoutIsPipe !== true ? { terminal: outputs.terminal, theme: outputs.errTheme, stderr: io.stderr } : undefined,
    });
  }

  async function shutDown(reason: StopReason): Promise<number> {
    controls?.stop();
    const running = meeting.running();
    for (const ch of running) ch.path.unpause();
    outputs.terminal.bar('');
    if (reason.kind === 'session-ended') {
      await Promise.all(channels.map((ch) => ch.source.stop()));
      for (const ch of channels) ch.path.drop();
      await meeting.stopped();
      transcript.flush();
      meeting.flush();
      return fail(reason.error);
    }
    const [first] = channels;
    if (reason.kind === 'end-of-input' && first !== undefined) await first.path.finishRecorded();
    else {
      if (!('error' in reason)) status.info(say.formatStopping(reason.kind));
      await Promise.all(running.map((ch) => ch.path.stopInput()));
    }
    const results = await Promise.all(running.map((ch) => ch.connection.terminate(TERMINATION_TIMEOUT_MS)));
    await meeting.stopped();
    if (latch.forced) return ExitCode.forced;
    meeting.flushAudio();
    const saved = await outputs.closeSavedAudio();
    if (latch.forced) return ExitCode.forced;
    if (saved !== undefined && saved.error === undefined) status.info(say.formatAudioSaved(saved.path, saved.durationMs));
    transcript.flush();
    meeting.flush();
    meeting.clearPartials();
    const lost = meeting.lostResult(running, results);
    if (lost !== undefined) return fail(lost);
    meeting.summarize(reason, running, results, written.turns);
    const error = stopError(reason);
    const lostMs = channels.reduce((ms, ch) => ms + ch.connection.totals.lostMs, 0);
    return error === undefined ? finish(chooseExitCode({ finals: written.turns, lostMs, sourcesFailed: meeting.incomplete ? 1 : 0 })) : fail(error);
  }

  async function main(): Promise<number> {
    const prepared = await prepare();
    if (prepared instanceof AppError) return fail(prepared);
    const ended = await connect();
    if (ended !== undefined) return ended;
    await stream();
    const reason = await latch.stopped;
    if (latch.forced) return ExitCode.forced;
    return shutDown(reason);
  }

  const done = main().catch((err: unknown) => {
    status.error(err);
    void closeAll();
    return finish(exitCodeFor(err));
  });

  return {
    done,
    requestStop: () => latch.stop({ kind: 'user' }),
    async forceStop(): Promise<number> {
      latch.force();
      transcript.flush();
      meeting.flush();
      outputs.terminal.bar('');
      status.warn(say.formatForcedStop());
      finish(ExitCode.forced);
      latch.stop({ kind: 'user' });
      await closeAll();
      return ExitCode.forced;
    },
  };
}
