/**
 * How a speaker label looks in each format (pure). Text and SRT prefix the line (`A: Hello.`), the convention of
 * transcripts and of subtitles that name speakers; WebVTT uses its voice span (`<v Speaker A>Hello.</v>`, WebVTT
 * https://www.w3.org/TR/webvtt1/#webvtt-cue-voice-span); JSON has `speaker` on the turn and `speaker`, `speaker_confidence` on each word. A `PENDING` turn shows
 * as `?` in text, SRT and VTT (its speaker is not known yet) and as `PENDING` in JSON, where a later
 * `speaker_revision` event settles it. Labels come from transcript/speakers.ts (`A`, `B2`, ...).
 */
import { PENDING_SPEAKER } from '../transcript/speakers.js';

/** What text, SRT and VTT show for a turn whose speaker is not known yet. */
const PENDING_DISPLAY = '?';

/** Terminal colours for speakers, in palette order; red is left out (it reads as an error). */
export const SPEAKER_PALETTE = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'cyanBright'] as const;
export type SpeakerColour = (typeof SPEAKER_PALETTE)[number];

/** A chalk-like theme (a ChalkInstance fits; level 0 means no colour). */
export type SpeakerTheme = Record<SpeakerColour | 'dim', (text: string) => string>;

/** The label as text, SRT and VTT show it. */
export function displaySpeaker(speaker: string): string {
  return speaker === PENDING_SPEAKER ? PENDING_DISPLAY : speaker;
}

/**
 * A stable palette index for a label: the first session's `A`, `B`, ... take the colours in order (so up to six
 * speakers never share one); any other label (`A2`) a hash of its text, the same on every run.
 */
export function speakerColourIndex(speaker: string, paletteSize: number = SPEAKER_PALETTE.length): number {
  if (/^[A-Z]$/.test(speaker)) return (speaker.charCodeAt(0) - 65) % paletteSize;
  let hash = 0x811c9dc5;
  for (let i = 0; i < speaker.length; i += 1) hash = Math.imul(hash ^ speaker.charCodeAt(i), 0x01000193) >>> 0;
  return hash % paletteSize;
}

/** `A: ` before a turn's text ('' without a speaker); with a theme, the label in the speaker's colour. */
export function formatSpeakerPrefix(speaker: string | undefined, theme?: SpeakerTheme): string {
  if (speaker === undefined) return '';
  const shown = displaySpeaker(speaker);
  if (theme === undefined) return `${shown}: `;
  const style = speaker === PENDING_SPEAKER ? theme.dim : theme[SPEAKER_PALETTE[speakerColourIndex(speaker)] ?? 'cyan'];
  return `${style(shown)}: `;
}

/** An SRT cue's text with its speaker: `A: Hello.` (SRT has no markup for speakers). */
export function formatSrtSpeakerText(text: string, speaker: string | undefined): string {
  return `${formatSpeakerPrefix(speaker)}${text}`;
}

/** Cue text as WebVTT wants it: `&`, `<` and `>` escaped, so no tag and no "-->" can appear. */
export function escapeVttText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A WebVTT cue's text: escaped, and inside a voice span when the speaker is known or pending. */
export function formatVttSpeakerText(text: string, speaker: string | undefined): string {
  const escaped = escapeVttText(text);
  return speaker === undefined ? escaped : `<v Speaker ${escapeVttText(displaySpeaker(speaker))}>${escaped}</v>`;
}

/** The JSON fields of a turn's speaker: `{ speaker }`, or none without one. */
export function jsonTurnSpeaker(turn: { speaker?: string }): { speaker?: string } {
  return turn.speaker === undefined ? {} : { speaker: turn.speaker };
}

/** The JSON fields of a word's speaker: `speaker` and `speaker_confidence`, each only when present. */
export function jsonWordSpeaker(word: { speaker?: string; speakerConfidence?: number }): { speaker?: string; speaker_confidence?: number } {
  return {
    ...(word.speaker === undefined ? {} : { speaker: word.speaker }),
    ...(word.speakerConfidence === undefined ? {} : { speaker_confidence: word.speakerConfidence }),
  };
}
