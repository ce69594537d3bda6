/**
 * The one-line editor of the question prompt (pure): printable characters (UTF-8, pastes too) are added,
 * Backspace removes the last character, Enter submits, Esc or Ctrl+C cancels; other control keys and escape
 * sequences (arrows) are ignored.
 */
export const MAX_QUESTION_CHARS = 500;

export interface LineEdit {
  text: string;
  action?: 'submit' | 'cancel';
}

export function editLine(text: string, chunk: Buffer): LineEdit {
  const input = chunk.toString('utf8');
  let out = text;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '\r' || ch === '\n') return { text: out, action: 'submit' };
    if (code === 0x03) return { text: out, action: 'cancel' };
    if (code === 0x1b) {
      // A lone Esc cancels; a sequence (an arrow: ESC [ A) is skipped.
      if (i === input.length - 1) return { text: out, action: 'cancel' };
      const next = input[i + 1];
      if (next === '[' || next === 'O') {
        i += 2;
        while (i < input.length && next === '[' && !/[@-~]/.test(input[i]!)) i++;
      } else i++;
      continue;
    }
    if (code === 0x7f || code === 0x08) {
      out = Array.from(out).slice(0, -1).join('');
      continue;
    }
    if (code === 0x15) {
      out = ''; // Ctrl+U
      continue;
    }
    if (code < 0x20) continue;
    if (Array.from(out).length < MAX_QUESTION_CHARS) out += ch;
  }
  return { text: out };
}
