/**
 * A run, as its phases: prepare (input, output file, saved audio), connect (the first session begins, or
 * the run ends), stream (until a stop reason), shut down (the rest of the audio, Terminate, the last words,
 * the summary, the exit code). The parts hold the state; this file only orders them. Never touches
 * `process`: streams, env and stop requests come in through RunIO.
 */
import type { Config } from '../config.js';
import { AppError, ErrorCode, ExitCode, exitCodeFor } from '../errors.js';
import { openAudioSource, type AudioSource } from '../audio/source.js';
import { KEY_HELP } from '../input/keys.js';
import * as say from '../render/messages.js';
import { createAssembler } from '../transcript/assembler.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { createStopPhraseEmit, createStopPhraseMatcher } from '../transcript/stop-phrase.js';
import { createChannel, type Channel } from './channel.js';
import { startControls, type Controls } from './controls.js';
import type { Run, RunIO } from './io.js';
import { createOutputs } from './outputs.js';
import { chooseExitCode, createStopLatch, stopConditionMet, stopError, type StopReason } from './stop.js';

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
  let source: AudioSource | undefined;
  let channel: Channel | undefined;
  let controls: Controls | undefined;
  const written = countedEmit(config, outputs.emit, () => latch.stop({ kind: 'stop-phrase' }));
  const transcript = createAssembler({
    emit: written.emit,
    expectTwin: () => channel?.expectTwin ?? false,
    audioSentMs: () => channel?.path.sentMs ?? 0,
    ...(config.stop.once ? { onFirstFinal: () => latch.stop({ kind: 'once' }) } : {}),
  });
  const finish = (code: number): number => {
    transcript.close();
    controls?.stop();
    channel?.path.drop();
    return outputs.closeAll(code);
  };
  const fail = (error: AppError): number => {
    outputs.report(error);
    return finish(exitCodeFor(error));
  };

  /** Everything about the input and the output file is checked before connecting. */
  async function prepare(): Promise<Channel | AppError> {
    try {
      source = await openAudioSource(config.input, {
        sampleRateHz: config.params.sampleRateHz,
        encoding: config.params.encoding,
        env: io.env,
        stdin: io.stdin,
        platform: io.platform,
      });
      outputs.openFile();
      const savedAudio = await outputs.openSavedAudio(source.format);
      const onSent = (sentMs: number): void => {
        const kind = stopConditionMet(config.stop, sentMs, transcript.speechEndMs);
        if (kind !== undefined) latch.stop({ kind });
      };
      return createChannel({ config, io, source, savedAudio, transcript, emit: outputs.emit, status, stop: latch.stop, onSent });
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
  }

  /** Resolves to undefined once the first session began, or to the exit code of a run that ends here. */
  async function connect(ch: Channel): Promise<number | undefined> {
    // A microphone starts at once (it warms up while we connect; its audio waits for Begin).
    if (ch.source.live) ch.path.startInput();
    void status.spin(say.formatConnecting(new URL(config.endpoint).host));
    const first = await Promise.race([
      ch.connection.start().then(() => ({ ok: true as const }), (error: unknown) => ({ error })),
      latch.stopped.then((reason) => ({ reason })),
    ]);
    if ('ok' in first) return undefined;
    if ('reason' in first) await ch.connection.close();
    await ch.source.stop();
    status.stopSpinner();
    if ('error' in first) return fail(first.error instanceof AppError ? first.error : new AppError(ErrorCode.network, String(first.error)));
    if (latch.forced) return ExitCode.forced;
    const error = stopError(first.reason);
    if (error !== undefined) return fail(error);
    status.info(say.formatStoppedBeforeStart());
    return finish(chooseExitCode({ finals: 0, lostMs: 0 }));
  }

  async function stream(ch: Channel): Promise<void> {
    ch.begin();
    status.stopSpinner();
    status.info(say.formatSessionStarted(ch.connection.sessionId));
    // Keys on an interactive terminal, unless standard input carries the audio.
    const keys = io.stdin.isTTY === true && config.input.kind !== 'stdin';
    const howToStop = say.formatHowToStop(keys ? KEY_HELP : undefined);
    if (ch.source.live) {
      const label = await ch.monitor.label();
      if (latch.forced) return;
      status.info(say.formatRecordingFrom(label));
      status.info(say.formatListening(howToStop));
    } else {
      status.info(say.formatStreamingFile(ch.source.label, ch.source.durationMs, howToStop));
      ch.path.startInput();
    }
    controls = startControls({
      channel: ch,
      keys: keys ? (io.stdin as Parameters<typeof startControls>[0]['keys']) : undefined,
      onQuit: () => latch.stop({ kind: 'user' }),
      onInterrupt: () => (io.onInterrupt === undefined ? latch.stop({ kind: 'user' }) : io.onInterrupt()),
      // With stdout in a pipe, the transcript may come back to this terminal (`| tee`) and land in the bar.
      bar: io.stderr.isTTY === true && !config.quiet && io.stdoutIsPipe !== true ? { terminal: outputs.terminal, theme: outputs.errTheme, stderr: io.stderr } : undefined,
    });
  }

  async function shutDown(ch: Channel, reason: StopReason): Promise<number> {
    controls?.stop();
    ch.path.unpause();
    outputs.terminal.bar('');
    if (reason.kind === 'session-ended') {
      await ch.source.stop();
      ch.path.drop();
      transcript.flush();
      return fail(reason.error);
    }
    if (reason.kind === 'end-of-input') await ch.path.finishRecorded();
    else {
      if (!('error' in reason)) status.info(say.formatStopping(reason.kind));
      await ch.path.stopInput();
    }
    const result = await ch.connection.terminate(TERMINATION_TIMEOUT_MS);
    if (latch.forced) return ExitCode.forced;
    const saved = await outputs.closeSavedAudio();
    if (latch.forced) return ExitCode.forced;
    if (saved !== undefined && saved.error === undefined) status.info(say.formatAudioSaved(saved.path, saved.durationMs));
    transcript.flush();
    outputs.terminal.partial('');
    if (result.error !== undefined && !result.terminated) return fail(result.error);
    const totals = ch.connection.totals;
    const fromService = totals.confirmed > 0;
    outputs.emit({
      type: 'termination',
      reason: reason.kind,
      audioSentMs: ch.path.sentMs,
      audioDurationS: fromService ? Math.round(totals.audioProcessedS) : undefined,
      sessionDurationS: fromService ? Math.round(totals.sessionOpenS) : undefined,
      sessions: totals.sessions,
      reconnects: totals.reconnects,
      turns: written.turns,
      time: new Date(),
    });
    status.info(say.formatRunSummary({ ...totals, turns: written.turns, terminated: result.terminated }));
    const error = stopError(reason);
    return error === undefined ? finish(chooseExitCode({ finals: written.turns, lostMs: totals.lostMs })) : fail(error);
  }

  async function main(): Promise<number> {
    const prepared = await prepare();
    if (prepared instanceof AppError) return fail(prepared);
    channel = prepared;
    const ended = await connect(prepared);
    if (ended !== undefined) return ended;
    await stream(prepared);
    const reason = await latch.stopped;
    if (latch.forced) return ExitCode.forced;
    return shutDown(prepared, reason);
  }

  const done = main().catch((err: unknown) => {
    status.error(err);
    void channel?.connection.close();
    void source?.stop();
    return finish(exitCodeFor(err));
  });

  return {
    done,
    requestStop: () => latch.stop({ kind: 'user' }),
    async forceStop(): Promise<number> {
      latch.force();
      transcript.flush();
      outputs.terminal.bar('');
      status.warn(say.formatForcedStop());
      finish(ExitCode.forced);
      latch.stop({ kind: 'user' });
      await Promise.all([channel?.connection.close(), source?.stop()]);
      return ExitCode.forced;
    },
  };
}
