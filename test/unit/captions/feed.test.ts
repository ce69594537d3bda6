import { describe, expect, it } from 'vitest';
import { createFeed } from '../../../src/captions/feed.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';
import { beginEvent, turnEvent } from '../../support/records.js';

const turn = turnEvent;
const partial = (text: string, source?: string): TranscriptEvent => ({
  type: 'partial',
  sessionId: 's',
  turnOrder: 0,
  text,
  time: new Date(),
  ...(source === undefined ? {} : { source }),
});

describe('feed', () => {
  it('keeps finals with sequence numbers; partials are live only', () => {
    const feed = createFeed('abc123');
    expect(feed.add(partial('hel'))).toEqual({ message: { t: 'partial', text: 'hel' } });
    expect(feed.add(turn(0, 'Hello.'))).toEqual({ seq: 1, message: { t: 'final', i: 0, text: 'Hello.', startMs: 0, endMs: 800 } });
    expect(feed.add(turn(1, '  '))).toBeUndefined();
    expect(feed.add(beginEvent({ input: 'x' }))).toBeUndefined();
    expect(feed.add(turn(2, 'Two.'))?.seq).toBe(2);
  });

  it('catch-up: all of the run for a new page, only what was missed for a page of this run', () => {
    const feed = createFeed('abc123');
    feed.add(turn(0, 'One.'));
    feed.add(turn(1, 'Two.'));
    feed.add(partial('thr'));
    const fresh = feed.catchUp(undefined);
    expect(fresh.kept.map((k) => k.seq)).toEqual([1, 2]);
    expect(fresh.partials).toEqual([{ t: 'partial', text: 'thr' }]);
    expect(feed.catchUp('abc123.1').kept.map((k) => k.seq)).toEqual([2]);
    expect(feed.catchUp('abc123.2').kept).toEqual([]);
    expect(feed.catchUp('abc123.2').reset).toBe(false);
    // Another run's position: everything of this one.
    const other = feed.catchUp('fff000.7');
    expect(other.reset).toBe(true);
    expect(other.kept.map((k) => k.seq)).toEqual([1, 2]);
    expect(feed.catchUp('garbage').kept.map((k) => k.seq)).toEqual([1, 2]);
  });

  it("a final ends its source's partial; speaker revisions and the end are kept", () => {
    const feed = createFeed('abc123');
    feed.add(partial('hi', 'You'));
    feed.add(partial('yo', 'Others'));
    feed.add(turn(0, 'Hi.', { source: 'You', speaker: 'PENDING' }));
    expect(feed.catchUp(undefined).partials).toEqual([{ t: 'partial', text: 'yo', source: 'Others' }]);
    expect(feed.catchUp(undefined).kept[0]?.message).toMatchObject({ t: 'final', source: 'You', speaker: '?', c: -1 });
    expect(
      feed.add({
        type: 'speaker_revision',
        turns: [
          { index: 0, speaker: 'B' },
          { index: 9, speaker: 'A' },
        ],
        time: new Date(),
      }),
    ).toEqual({ seq: 2, message: { t: 'speakers', turns: [{ i: 0, speaker: 'B', c: 1 }] } });
    expect(feed.end(true)).toEqual({ seq: 3, message: { t: 'end', ok: true } });
    expect(feed.end(false)).toBeUndefined();
    expect(feed.add(turn(1, 'Late.'))).toBeUndefined();
    expect(feed.catchUp(undefined).partials).toEqual([]);
  });

  it('shows the language when it changes, as the terminal does', () => {
    const feed = createFeed('abc123');
    const langs = [turn(0, 'a', { languageCode: 'en' }), turn(1, 'b', { languageCode: 'en' }), turn(2, 'c', { languageCode: 'de' })].map(
      (e) => feed.add(e)?.message,
    );
    expect(langs.map((m) => (m as { lang?: string }).lang)).toEqual(['en', undefined, 'de']);
  });

  it('control characters and line breaks never reach the page', () => {
    const feed = createFeed('abc123');
    const m = feed.add(turn(0, 'a\nid: 9\r\ndata: x\u0007'))?.message;
    expect(m).toMatchObject({ text: 'a id: 9 data: x' });
  });

  it('the transcript downloads use the file formats, with revised speakers', () => {
    const feed = createFeed('abc123');
    feed.add(turn(0, 'Hello <b>.', { speaker: 'PENDING' }));
    feed.add(turn(1, 'Bye.', { speaker: 'B' }));
    feed.add({ type: 'speaker_revision', turns: [{ index: 0, speaker: 'A' }], time: new Date() });
    expect(feed.transcript('text')).toBe('A: Hello <b>.\nB: Bye.\n');
    expect(feed.transcript('srt')).toBe('1\n00:00:00,000 --> 00:00:00,800\nA: Hello <b>.\n\n2\n00:00:01,000 --> 00:00:01,800\nB: Bye.\n\n');
    expect(feed.transcript('vtt')).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:00.800\n<v Speaker A>Hello &lt;b&gt;.</v>\n\n00:00:01.000 --> 00:00:01.800\n<v Speaker B>Bye.</v>\n\n',
    );
  });
});
