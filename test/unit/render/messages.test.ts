import type { StopKind } from '../../../src/core/types.js';
import { describe, expect, it } from 'vitest';
import * as say from '../../../src/render/messages.js';

describe('messages: connecting and starting', () => {
  it('says where it connects and when the session starts', () => {
    expect(say.formatConnecting('streaming.assemblyai.com')).toMatchInlineSnapshot(`"Connecting to streaming.assemblyai.com..."`);
    expect(say.formatStoppedBeforeStart()).toMatchInlineSnapshot(`"Stopped before the session started."`);
    expect(say.formatSessionStarted('9f3c1a2b-77aa')).toMatchInlineSnapshot(`"Session started: 9f3c1a2b-77aa"`);
    expect(say.formatRecordingFrom('"Yeti Stereo Microphone" (alsa_input.usb-yeti)')).toMatchInlineSnapshot(
      `"Recording from "Yeti Stereo Microphone" (alsa_input.usb-yeti)"`,
    );
  });

  it('says how to stop, with the keys when the keyboard is live', () => {
    expect(say.formatHowToStop(undefined)).toMatchInlineSnapshot(`"press Ctrl+C to stop"`);
    expect(say.formatHowToStop('p: pause, q: quit')).toMatchInlineSnapshot(`"press Ctrl+C to stop (p: pause, q: quit)"`);
    expect(say.formatListening(say.formatHowToStop('p: pause, q: quit'))).toMatchInlineSnapshot(
      `"Listening... press Ctrl+C to stop (p: pause, q: quit)"`,
    );
  });

  it('says which file streams, with its length when known', () => {
    expect(say.formatStreamingFile('talk.wav', 90_500, say.formatHowToStop(undefined))).toMatchInlineSnapshot(
      `"Streaming talk.wav (00:01:30) in real time... press Ctrl+C to stop"`,
    );
    expect(say.formatStreamingFile('standard input', undefined, say.formatHowToStop(undefined))).toMatchInlineSnapshot(
      `"Streaming standard input in real time... press Ctrl+C to stop"`,
    );
  });
});

describe('messages: during the run', () => {
  it('pause and resume', () => {
    expect(say.formatPauseToggled(true)).toMatchInlineSnapshot(`"Paused: sending silence. Press p to resume."`);
    expect(say.formatPauseToggled(false)).toMatchInlineSnapshot(`"Resumed."`);
  });

  it('the silent microphone, and its sound coming back', () => {
    const hint = { message: 'no sound from the default microphone for 4 s', causes: ['the source is muted', 'a hardware mute switch or key is on'] };
    expect(say.formatSilenceWarning(hint)).toMatchInlineSnapshot(`
      "no sound from the default microphone for 4 s
        - the source is muted
        - a hardware mute switch or key is on"
    `);
    expect(say.formatSilenceWarning({ message: 'no sound', causes: [] })).toMatchInlineSnapshot(`
      "no sound
      "
    `);
    expect(say.formatSoundBack('the default microphone')).toMatchInlineSnapshot(`"Sound is arriving from the default microphone again."`);
  });

  it('what the service says', () => {
    expect(say.formatServiceWarning('audio is being sent faster than real time')).toMatchInlineSnapshot(
      `"the service says: audio is being sent faster than real time"`,
    );
  });

  it('reconnecting, reconnected, renewed, audio lost', () => {
    expect(say.formatReconnecting('the connection dropped', 250, 1, 6)).toMatchInlineSnapshot(
      `"the connection dropped: reconnecting in 0.3 s... attempt 1 of 6"`,
    );
    expect(say.formatReconnecting('the service is busy (1013)', 8000, 6, 6)).toMatchInlineSnapshot(
      `"the service is busy (1013): reconnecting in 8.0 s... attempt 6 of 6"`,
    );
    expect(say.formatReconnected('reconnect', 'b2c3d4', 2500)).toMatchInlineSnapshot(`"Reconnected: session b2c3d4, replaying 2.5 s of audio"`);
    expect(say.formatReconnected('reconnect', 'b2c3d4', 0)).toMatchInlineSnapshot(`"Reconnected: session b2c3d4, replaying 0.0 s of audio"`);
    expect(say.formatReconnected('rollover', 'c3d4e5', 300)).toMatchInlineSnapshot(`"Session renewed before its time limit: c3d4e5"`);
    expect(say.formatAudioLost(4000)).toMatchInlineSnapshot(
      `"4.0 s of audio was past the replay bound (--replay-limit): it is kept on disk and recovered through the pre-recorded API where possible"`,
    );
    expect(say.formatAudioLost(125)).toMatchInlineSnapshot(
      `"0.1 s of audio was past the replay bound (--replay-limit): it is kept on disk and recovered through the pre-recorded API where possible"`,
    );
  });
});

describe('messages: stopping', () => {
  it('one sentence per stop kind', () => {
    const kinds: StopKind[] = ['user', 'pipe-closed', 'end-of-input', 'max-duration', 'once', 'until-silence', 'stop-phrase'];
    expect(Object.fromEntries(kinds.map((k) => [k, say.formatStopping(k)]))).toMatchInlineSnapshot(`
      {
        "end-of-input": "Stopping... waiting for the last words.",
        "max-duration": "Maximum duration reached: stopping... waiting for the last words.",
        "once": "First turn received: stopping.",
        "pipe-closed": "Output closed: stopping.",
        "stop-phrase": "Stop phrase heard: stopping...",
        "until-silence": "Silence: stopping... waiting for the last words.",
        "user": "Stopping... waiting for the last words (Ctrl+C again to quit now).",
      }
    `);
  });

  it('the saved audio, and when it cannot be saved', () => {
    expect(say.formatAudioSaved('/tmp/talk.wav', 61_250)).toMatchInlineSnapshot(`"Audio saved: /tmp/talk.wav (61.3 s)"`);
    expect(say.formatSaveAudioFailed('/tmp/talk.wav', 'ENOSPC: no space left on device')).toMatchInlineSnapshot(
      `"could not save the audio to /tmp/talk.wav: ENOSPC: no space left on device; transcription goes on"`,
    );
    expect(say.formatStdoutFailed('EIO: i/o error')).toMatchInlineSnapshot(`"cannot write the transcript to stdout: EIO: i/o error"`);
  });
});

describe('messages: the run summary', () => {
  const run = { audioProcessedS: 62.4, sessionOpenS: 63, sessions: 1, reconnects: 0, turns: 3, terminated: true };
  it('one session, and several', () => {
    expect(say.formatRunSummary(run)).toMatchInlineSnapshot(`"Session ended: 62 s of audio processed, session 63 s, 3 turns."`);
    expect(say.formatRunSummary({ ...run, sessions: 2, reconnects: 1, lostMs: 0 })).toMatchInlineSnapshot(
      `"Session ended: 62 s of audio processed in 2 sessions (1 reconnect), open 63 s in all, 3 turns."`,
    );
  });
  it('audio lost past the replay bound: the transcript has a hole, said in the summary (exit 6)', () => {
    expect(say.formatRunSummary({ ...run, sessions: 2, reconnects: 1, lostMs: 5000 })).toMatchInlineSnapshot(
      `"Session ended: 62 s of audio processed in 2 sessions (1 reconnect), open 63 s in all, 3 turns. The transcript has a hole: 5.0 s of audio could not be transcribed."`,
    );
  });
});

describe('meetings (issue 13)', () => {
  it('names the source in what it says about one of several', () => {
    expect(say.formatSessionStartedFor('Others', 'abc')).toBe('Session started for Others: abc');
    expect(say.formatRecordingFromFor('You', '"Blue Yeti"')).toBe('Recording You from "Blue Yeti"');
    expect(say.formatSourceStopped('Me', 'recording failed: SoX exited with code 2')).toBe(
      'Me stopped: recording failed: SoX exited with code 2; the other sources go on, and the transcript misses Me from here (exit code 6)',
    );
    expect(say.formatSourceSummary('You', { audioProcessedS: 5, sessionOpenS: 6, sessions: 1, reconnects: 0, turns: 2, terminated: true })).toBe(
      'You: Session ended: 5 s of audio processed, session 6 s, 2 turns.',
    );
    expect(say.formatSystemAudioMuted('spk.monitor')).toMatch(/spk\.monitor is muted/);
  });
});
