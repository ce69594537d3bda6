/**
 * What is asked of the model (pure): the default notes prompt or the user's, the prompt for one part of a
 * long transcript, the prompt that combines the parts, and a question about the transcript so far.
 */
import type { ChatMessage } from './gateway.js';

export const DEFAULT_NOTES_PROMPT = [
  'Write meeting notes in Markdown for the transcript below, with these sections:',
  '## Summary: a few sentences on what was discussed.',
  '## Decisions: each decision that was made, as a bullet.',
  '## Action items: each task as a bullet "- [ ] task (owner)", naming the owner only when the transcript names one.',
  '## Open questions: what was asked or left unresolved.',
  'Write "None." under a section with nothing in it. Use only what the transcript says; do not invent names, dates or facts.',
].join('\n');

const SYSTEM =
  'You write accurate notes from speech transcripts. Each transcript line is "[hh:mm:ss] Speaker: text": the time from the start of the recording, ' +
  'then who spoke (a source such as You or Others, a speaker label such as A or B, or both) when known. ' +
  'Transcripts come from speech recognition and may contain misheard words.';

const transcriptBlock = (lines: readonly string[]): string => `<transcript>\n${lines.join('\n')}\n</transcript>`;

/** The notes for a transcript that fits in one request. */
export function notesMessages(lines: readonly string[], userPrompt: string | undefined): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `${userPrompt ?? DEFAULT_NOTES_PROMPT}\n\n${transcriptBlock(lines)}` },
  ];
}

/** Notes on one part of a long transcript, to be combined later. */
export function partMessages(lines: readonly string[], part: number, parts: number, userPrompt: string | undefined): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content:
        `This is part ${part} of ${parts} of a long transcript. Take detailed notes on this part only (keep times, names, decisions, tasks and their owners, open questions); ` +
        `they will be combined with the notes on the other parts to answer this request:\n${userPrompt ?? DEFAULT_NOTES_PROMPT}\n\n${transcriptBlock(lines)}`,
    },
  ];
}

/** The final notes from the notes on every part, in order. */
export function combineMessages(partNotes: readonly string[], userPrompt: string | undefined): ChatMessage[] {
  const blocks = partNotes.map((n, i) => `<part number="${i + 1}">\n${n.trim()}\n</part>`).join('\n');
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: `A long transcript was split into ${partNotes.length} parts, and each part was summarised below in order. Combine them into one answer, without repeating yourself:\n${userPrompt ?? DEFAULT_NOTES_PROMPT}\n\n${blocks}`,
    },
  ];
}

/** A question asked during a run about the transcript so far (`dropped` earlier lines did not fit). */
export function questionMessages(lines: readonly string[], question: string, dropped: number): ChatMessage[] {
  const note = dropped > 0 ? ` (the first ${dropped} lines are left out; this is the most recent part)` : '';
  return [
    { role: 'system', content: `${SYSTEM} The recording is still going on. Answer briefly, in plain text without Markdown headings.` },
    { role: 'user', content: `The transcript so far${note}:\n${transcriptBlock(lines)}\n\nQuestion: ${question}` },
  ];
}
