/**
 * A deterministic offline speech recognizer for tests, built on pocketsphinx.
 *
 * Debian's pocketsphinx (0.8+5prealpha) with the default language model transcribes espeak-ng speech
 * uselessly, but with a JSGF grammar that lists the possible phrases it picks the spoken one exactly
 * (see /work/shared/ENVIRONMENT.md, "Speech for tests"). That makes it a good stand-in for the real
 * service in tests that must prove the client sent the audio it captured: the fake server can run the
 * recognizer on a turn's audio and report what was actually said.
 *
 * Needs on PATH: `pocketsphinx_continuous` (packages pocketsphinx + pocketsphinx-en-us) and, for sample
 * rates other than 16 kHz, `sox`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Recognizes 16-bit signed little-endian mono PCM at `sampleRateHz`; resolves to lowercase text or "". */
export type Recognizer = (pcm16: Buffer, sampleRateHz: number) => Promise<string>;

const RECOGNIZER_TIMEOUT_MS = 20_000;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: RECOGNIZER_TIMEOUT_MS, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
}

/** A canonical 44-byte-header WAV file around 16-bit mono PCM. */
export function pcm16ToWav(pcm16: Buffer, sampleRateHz: number): Buffer {
  // An odd trailing byte cannot be a sample: drop it.
  const data = pcm16.length % 2 === 0 ? pcm16 : pcm16.subarray(0, pcm16.length - 1);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** JSGF tokens must be dictionary words: keep lowercase letters, digits and apostrophes only. */
function normalisePhrase(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/[^a-z0-9'\s]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .join(' ');
}

/**
 * A recognizer that can only answer one of `phrases` (or "" when it hears none of them, or on any
 * failure: missing tools, words outside the pocketsphinx dictionary, unreadable audio).
 * Several utterances in one buffer (long pauses) come back joined by spaces.
 */
export function createPocketsphinxRecognizer(phrases: string[]): Recognizer {
  const alternatives = [...new Set(phrases.map(normalisePhrase).filter((p) => p.length > 0))];
  if (alternatives.length === 0) throw new Error('createPocketsphinxRecognizer: at least one non-empty phrase is required');
  const grammar = `#JSGF V1.0;\ngrammar phrases;\npublic <s> = ${alternatives.join(' | ')};\n`;

  return async (pcm16: Buffer, sampleRateHz: number): Promise<string> => {
    if (pcm16.length < 2 || !Number.isInteger(sampleRateHz) || sampleRateHz <= 0) return '';
    let dir: string | undefined;
    try {
      dir = await mkdtemp(join(tmpdir(), 'fake-aai-ps-'));
      const inputWav = join(dir, 'input.wav');
      const grammarFile = join(dir, 'phrases.gram');
      await writeFile(inputWav, pcm16ToWav(pcm16, sampleRateHz));
      await writeFile(grammarFile, grammar);
      let wav = inputWav;
      if (sampleRateHz !== 16000) {
        // The en-us acoustic model is 16 kHz.
        wav = join(dir, 'input-16k.wav');
        await run('sox', [inputWav, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', wav]);
      }
      const stdout = await run('pocketsphinx_continuous', ['-infile', wav, '-jsgf', grammarFile, '-logfn', '/dev/null']);
      return stdout
        .split('\n')
        .map((line) => line.replace(/^\d+:\s*/, '').trim()) // older builds prefix an utterance id
        .filter((line) => line.length > 0)
        .join(' ')
        .toLowerCase();
    } catch {
      return '';
    } finally {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  };
}
