/**
 * Scripted (and optionally recognized) transcription. The double measures the loudness of each audio frame;
 * speech frames release the words of the current scripted turn one by one (partials), and enough silence
 * *audio* ends the turn (finals; with format_turns on Universal-Streaming a formatted twin follows, docs/service.md#turns).
 * A recognizer, if given, supplies a final's text from the turn's audio. Speaker labels (docs/service.md#turns), language
 * fields (docs/service.md#turns) and SpeechStarted (docs/service.md#other-messages) are added here too. Citations are to docs/service.md.
 */
import { pcmLevelDbfs } from '../audio.js';
import type { ResolvedOptions } from './options.js';
import { splitWords } from './options.js';
import type { SessionConfig } from './params.js';

/** docs/service.md#audio: at least 80 ms of speech is needed before silence can end a turn. */
const MIN_TURN_SPEECH_MS = 80;
/**
 * CHOICE: the scripted "model" is confident a turn has ended when it hears silence after speech. With
 * end_of_turn_confidence_threshold below this, min_turn_silence ends the turn (semantic path); at or
 * above it (e.g. 1), max_turn_silence does (acoustic path), per docs/service.md#audio.
 */
const MODEL_EOT_CONFIDENCE = 0.9;
const ACOUSTIC_EOT_CONFIDENCE = 0.3;
export const FORCED_EOT_CONFIDENCE = 0.5;
const WORD_CONFIDENCE = 0.95;
const SPEAKER_CONFIDENCE = 0.9;
/** CHOICE: the VAD probability the double reports for a speech frame and for a silent one (docs/service.md#other-messages). */
export const SPEECH_PROBABILITY = 0.98;
export const SILENCE_PROBABILITY = 0.02;
export const PENDING_SPEAKER = 'PENDING';

type Task = () => void | Promise<void>;
type Formatting = 'none' | 'classic' | 'inline';

/** What the transcriber needs from its session. */
export interface TranscriptionHost {
  readonly opts: ResolvedOptions;
  config(): SessionConfig | undefined;
  /** Queue output work (runs in order, after Begin). */
  enqueue(task: Task): void;
  send(msg: Record<string, unknown>): void;
}

interface TimedWord {
  text: string;
  start: number;
  end: number;
}
type Word = TimedWord & { final: boolean };

/** The turn in progress: it exists from its first speech frame until it is finalized. */
interface TurnState {
  scriptWords: string[];
  released: TimedWord[];
  /** Speech audio ms in this turn (drives word release). */
  speechMs: number;
  /** Consecutive silence audio ms since the last speech frame. */
  silenceMs: number;
  /** Stream time where the next word to release started, if known. */
  pendingWordStart: number | null;
  firstSpeechStart: number;
  lastSpeechEnd: number;
  /** PCM16 audio of the turn (one frame of pre-roll, then every frame), for the recognizer. */
  audio: Buffer[];
}

/** The u3 / Universal-3 family (docs/service.md#other-messages, docs/service.md#connecting): always formatted, sends SpeechStarted. */
export function isU3Family(model: string): boolean {
  return model.startsWith('universal-3-') || model.startsWith('u3-');
}

/** G.711 µ-law byte -> 16-bit linear sample. */
function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign !== 0 ? -magnitude : magnitude;
}

function capitalise(word: string): string {
  return word.length > 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/** The double's "formatting": capital first letter; a final also gets a full stop. */
function formatTexts(texts: string[], final: boolean): string[] {
  const out = texts.slice();
  if (out.length === 0) return out;
  out[0] = capitalise(out[0] ?? '');
  const lastIndex = out.length - 1;
  const last = out[lastIndex] ?? '';
  if (final && !/[.!?]$/.test(last)) out[lastIndex] = `${last}.`;
  return out;
}

function withTexts(words: Word[], texts: string[]): Word[] {
  return words.map((w, i) => ({ ...w, text: texts[i] ?? w.text }));
}

function joinTexts(words: TimedWord[]): string {
  return words.map((w) => w.text).join(' ');
}

function wireWord(w: Word, text: string, speaker: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { start: w.start, end: w.end, text, confidence: WORD_CONFIDENCE, word_is_final: w.final };
  if (speaker !== undefined) {
    out.speaker = speaker;
    out.speaker_confidence = SPEAKER_CONFIDENCE;
  }
  return out;
}

/**
 * Timestamps for the final's words. Like the real service, the final's words span the whole speech of
 * the turn (its last word ends with the speech, or later: docs/service.md#turns). Recognized words share the speech span;
 * scripted words keep the times they were released with, the rest share what is left.
 */
function timeWords(turn: TurnState, texts: string[], recognized: boolean): TimedWord[] {
  const out: TimedWord[] = [];
  const known = recognized ? 0 : Math.min(texts.length, turn.released.length);
  for (let i = 0; i < known; i++) {
    const r = turn.released[i];
    out.push({ text: texts[i] ?? '', start: r?.start ?? 0, end: r?.end ?? 0 });
  }
  const rest = texts.length - known;
  if (rest > 0) {
    const base = known > 0 ? (out[known - 1]?.end ?? turn.firstSpeechStart) : turn.firstSpeechStart;
    const span = Math.max(0, turn.lastSpeechEnd - base);
    for (let i = 0; i < rest; i++) {
      out.push({
        text: texts[known + i] ?? '',
        start: Math.round(base + (span * i) / rest),
        end: Math.round(base + (span * (i + 1)) / rest),
      });
    }
  }
  const last = out[out.length - 1];
  if (last !== undefined) last.end = Math.max(last.end, Math.round(turn.lastSpeechEnd));
  return out;
}

export class Transcriber {
  /** Audio timeline (ms from the first audio byte, docs/service.md#turns) of the processed audio. */
  private streamMs = 0;
  private pcmCarry: Buffer | undefined;
  private turn: TurnState | undefined;
  private turnOrder = 0;
  private preRoll: Buffer | undefined;
  /** Speaker label of each finalized turn (speaker_labels=true). */
  private readonly labels = new Map<number, string>();
  /** Finals labelled PENDING, with their words, for the SpeakerRevision (docs/service.md#turns). */
  private readonly pending: Array<{ order: number; words: Word[] }> = [];
  /** Highest speech probability since the last takeMaxSpeechProbability() (for Heartbeat, docs/service.md#other-messages). */
  private maxSpeechProbability = 0;

  constructor(private readonly host: TranscriptionHost) {}

  get inTurn(): boolean {
    return this.turn !== undefined;
  }

  takeMaxSpeechProbability(): number {
    const p = this.maxSpeechProbability;
    this.maxSpeechProbability = 0;
    return p;
  }

  /** 'none': unformatted; 'classic': double final; 'inline': everything formatted (docs/service.md#turns). */
  private formatting(): Formatting {
    const cfg = this.host.config();
    if (cfg === undefined) return 'none';
    if (cfg.speechModel.startsWith('universal-streaming-')) return cfg.formatTurns ? this.host.opts.formatMode : 'none';
    if (cfg.speechModel === 'whisper-rt') return cfg.formatTurns ? 'inline' : 'none';
    return 'inline'; // the u3 / universal-3.x family is always formatted
  }

  /** Decode one frame to aligned PCM16 (odd s16le byte counts carry over to the next frame). */
  private toPcm16(buf: Buffer): Buffer {
    if (this.host.config()?.encoding === 'pcm_mulaw') {
      const out = Buffer.alloc(buf.length * 2);
      for (let i = 0; i < buf.length; i++) out.writeInt16LE(mulawToLinear(buf[i] ?? 0xff), i * 2);
      return out;
    }
    const joined = this.pcmCarry !== undefined ? Buffer.concat([this.pcmCarry, buf]) : buf;
    const usable = joined.length - (joined.length % 2);
    this.pcmCarry = usable < joined.length ? Buffer.from(joined.subarray(usable)) : undefined;
    return Buffer.from(joined.subarray(0, usable));
  }

  /** One PCM frame of `ms` milliseconds. */
  transcribe(buf: Buffer, ms: number): void {
    const cfg = this.host.config();
    if (cfg === undefined) return;
    const pcm = this.toPcm16(buf);
    const isSpeech = pcmLevelDbfs(pcm) > this.host.opts.speechThresholdDbfs;
    this.maxSpeechProbability = Math.max(this.maxSpeechProbability, isSpeech ? SPEECH_PROBABILITY : SILENCE_PROBABILITY);
    const frameStart = this.streamMs;
    const frameEnd = frameStart + ms;
    this.streamMs = frameEnd;
    if (this.turn === undefined && !isSpeech) {
      this.preRoll = pcm;
      return;
    }
    const turn = this.turn ?? this.startTurn(frameStart, frameEnd, cfg);
    turn.audio.push(pcm);
    if (isSpeech) this.onSpeech(turn, frameStart, frameEnd, ms);
    else this.onSilence(turn, pcm, ms, cfg);
  }

  private startTurn(frameStart: number, frameEnd: number, cfg: SessionConfig): TurnState {
    const script = this.host.opts.script;
    const turn: TurnState = {
      // CHOICE: the script cycles when exhausted (turn N uses script[N % length]).
      scriptWords: script[this.turnOrder % script.length] ?? [],
      released: [],
      speechMs: 0,
      silenceMs: 0,
      pendingWordStart: null,
      firstSpeechStart: frameStart,
      lastSpeechEnd: frameEnd,
      audio: this.preRoll !== undefined ? [this.preRoll] : [],
    };
    this.turn = turn;
    this.preRoll = undefined;
    if (isU3Family(cfg.speechModel)) {
      // docs/service.md#other-messages: u3 only, in the same tick as the first partial.
      const timestamp = Math.round(frameStart);
      this.host.enqueue(() => this.host.send({ type: 'SpeechStarted', timestamp, confidence: SPEECH_PROBABILITY }));
    }
    return turn;
  }

  private onSpeech(turn: TurnState, frameStart: number, frameEnd: number, ms: number): void {
    turn.silenceMs = 0;
    turn.lastSpeechEnd = frameEnd;
    if (turn.pendingWordStart === null) turn.pendingWordStart = frameStart;
    const speechBefore = turn.speechMs;
    turn.speechMs += ms;
    const interval = this.host.opts.wordIntervalMs;
    // Every wordIntervalMs of speech releases the next scripted word, one partial per word (docs/service.md#turns).
    while (turn.released.length < turn.scriptWords.length && turn.speechMs >= (turn.released.length + 1) * interval) {
      const releaseAt = frameStart + ((turn.released.length + 1) * interval - speechBefore);
      const word: TimedWord = {
        text: turn.scriptWords[turn.released.length] ?? '',
        start: Math.round(turn.pendingWordStart ?? frameStart),
        end: Math.round(releaseAt),
      };
      turn.released.push(word);
      turn.pendingWordStart = releaseAt < frameEnd ? releaseAt : null;
      this.queuePartial(turn);
    }
  }

  private onSilence(turn: TurnState, pcm: Buffer, ms: number, cfg: SessionConfig): void {
    turn.silenceMs += ms;
    const confident = MODEL_EOT_CONFIDENCE > cfg.endOfTurnConfidenceThreshold;
    const needed = confident ? cfg.minTurnSilence : cfg.maxTurnSilence;
    if (turn.silenceMs < needed) return;
    if (turn.speechMs < MIN_TURN_SPEECH_MS && turn.released.length === 0) {
      // A blip shorter than 80 ms is not a turn (docs/service.md#audio): forget it, keep the script position.
      this.turn = undefined;
      this.preRoll = pcm;
      return;
    }
    this.finalizeTurn(confident ? MODEL_EOT_CONFIDENCE : ACOUSTIC_EOT_CONFIDENCE);
    this.preRoll = pcm;
  }

  private queuePartial(turn: TurnState): void {
    const order = this.turnOrder;
    const words = turn.released.map((w, i, all) => ({ ...w, final: i < all.length - 1 }));
    const formatted = this.formatting() === 'inline';
    // Low end-of-turn confidence while words keep coming.
    const confidence = Math.min(0.2, 0.01 * words.length);
    this.host.enqueue(() => this.sendTurn(order, words, { endOfTurn: false, formatted, confidence, utterance: '' }));
  }

  /** End the turn in progress (if any): emit its final(s) and move to the next turn_order. */
  finalizeTurn(confidence: number): void {
    const turn = this.turn;
    const cfg = this.host.config();
    if (turn === undefined || cfg === undefined) return;
    this.turn = undefined;
    const order = this.turnOrder++;
    const speakers = this.host.opts.speakers;
    this.labels.set(order, turn.speechMs < this.host.opts.pendingSpeakerBelowMs ? PENDING_SPEAKER : (speakers[order % speakers.length] ?? 'A'));
    const formatting = this.formatting();
    const emit = (texts: string[], recognized = false): void => this.sendFinals(order, turn, texts, formatting, confidence, recognized);
    const recognizer = this.host.opts.recognizer;
    if (recognizer === undefined) {
      this.host.enqueue(() => emit(turn.scriptWords));
      return;
    }
    const audio = Buffer.concat(turn.audio);
    this.host.enqueue(async () => {
      let texts = turn.scriptWords;
      let recognized = false;
      try {
        const heard = splitWords(await recognizer(audio, cfg.sampleRate));
        if (heard.length > 0) {
          texts = heard;
          recognized = true;
        }
      } catch {
        // fall back to the script
      }
      emit(texts, recognized);
    });
  }

  /** The extra empty final on Terminate (docs/service.md#turns); CHOICE (docs/service.md#turns): it carries the next unused turn_order. */
  queueEmptyFinal(): void {
    const order = this.turnOrder;
    const formatted = this.formatting() === 'inline';
    this.host.enqueue(() => this.sendTurn(order, [], { endOfTurn: true, formatted, confidence: 0, utterance: '' }));
  }

  /**
   * docs/service.md#turns: the revision of the PENDING turns, each now given its scripted speaker (only changed turns are
   * listed, so it may be empty). Built when sent, after every final went out.
   */
  speakerRevision(): Record<string, unknown> {
    const speakers = this.host.opts.speakers;
    const revisions = this.pending.map(({ order, words }) => {
      const label = speakers[order % speakers.length] ?? 'A';
      return { turn_order: order, speaker_label: label, words: words.map((w) => wireWord(w, w.text, label)) };
    });
    return { type: 'SpeakerRevision', revisions };
  }

  private sendFinals(order: number, turn: TurnState, texts: string[], formatting: Formatting, confidence: number, recognized: boolean): void {
    const timed = timeWords(turn, texts, recognized).map((w) => ({ ...w, final: true }));
    if (formatting === 'inline') {
      const words = withTexts(timed, formatTexts(texts, true));
      this.sendTurn(order, words, { endOfTurn: true, formatted: true, confidence, utterance: joinTexts(words) });
      return;
    }
    // The unformatted final carries the utterance (docs/service.md#turns).
    this.sendTurn(order, timed, { endOfTurn: true, formatted: false, confidence, utterance: joinTexts(timed) });
    if (formatting === 'classic') {
      // docs/service.md#turns classic: a second final, same turn_order, formatted, utterance "".
      const words = withTexts(timed, formatTexts(texts, true));
      this.sendTurn(order, words, { endOfTurn: true, formatted: true, confidence, utterance: '' });
    }
  }

  /** A Turn message with every required field (docs/service.md#turns); `transcript` holds finalized words only. */
  private sendTurn(order: number, words: Word[], o: { endOfTurn: boolean; formatted: boolean; confidence: number; utterance: string }): void {
    const cfg = this.host.config();
    const texts =
      o.formatted && !o.endOfTurn
        ? formatTexts(
            words.map((w) => w.text),
            false,
          )
        : words.map((w) => w.text);
    // docs/service.md#turns: speaker fields only on finals, and only when asked for.
    const speaker = o.endOfTurn && cfg?.speakerLabels === true && words.length > 0 ? this.labels.get(order) : undefined;
    const wireWords = words.map((w, i) => wireWord(w, texts[i] ?? w.text, speaker));
    const transcript = wireWords
      .filter((w) => w.word_is_final === true)
      .map((w) => w.text)
      .join(' ');
    const msg: Record<string, unknown> = {
      turn_order: order,
      turn_is_formatted: o.formatted,
      end_of_turn: o.endOfTurn,
      transcript,
      end_of_turn_confidence: o.confidence,
      words: wireWords,
      utterance: o.utterance,
    };
    // docs/service.md#turns: language fields only on finals, and only when asked for.
    if (o.endOfTurn && words.length > 0 && cfg?.languageDetection === true) {
      const languages = this.host.opts.languages;
      msg.language_code = languages[order % languages.length] ?? 'en';
      msg.language_confidence = 0.99;
    }
    if (speaker !== undefined) {
      msg.speaker_label = speaker;
      msg.speaker_confidence = SPEAKER_CONFIDENCE;
      if (speaker === PENDING_SPEAKER && !this.pending.some((p) => p.order === order)) this.pending.push({ order, words: withTexts(words, texts) });
    }
    msg.type = 'Turn';
    this.host.send(msg);
  }
}
