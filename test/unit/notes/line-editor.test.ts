import { describe, expect, it } from 'vitest';
import { editLine, MAX_QUESTION_CHARS } from '../../../src/notes/line-editor.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('editLine', () => {
  it('adds printable characters, UTF-8 and pastes included; command letters are text here', () => {
    expect(editLine('', b('q'))).toEqual({ text: 'q' });
    expect(editLine('who ', b('said ü?'))).toEqual({ text: 'who said ü?' });
  });
  it('Backspace removes one character (not one byte), Ctrl+U the line', () => {
    expect(editLine('aü', b('\u007f'))).toEqual({ text: 'a' });
    expect(editLine('ab', b('\u0008'))).toEqual({ text: 'a' });
    expect(editLine('abc', b('\u0015x'))).toEqual({ text: 'x' });
  });
  it('Enter submits, Esc alone or Ctrl+C cancels, arrows are ignored', () => {
    expect(editLine('why', b('\r'))).toEqual({ text: 'why', action: 'submit' });
    expect(editLine('why', b('?\n'))).toEqual({ text: 'why?', action: 'submit' });
    expect(editLine('why', b('\u001b'))).toEqual({ text: 'why', action: 'cancel' });
    expect(editLine('why', b('\u0003'))).toEqual({ text: 'why', action: 'cancel' });
    expect(editLine('why', b('\u001b[Dx\u001bOA'))).toEqual({ text: 'whyx' });
  });
  it('stops at the length limit', () => {
    expect(editLine('x'.repeat(MAX_QUESTION_CHARS), b('y')).text).toHaveLength(MAX_QUESTION_CHARS);
  });
});
