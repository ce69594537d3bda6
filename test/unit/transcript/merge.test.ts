import { describe, expect, it } from 'vitest';
import { createTurnMerger, type MergeItem, type TurnMergerOptions } from '../../../src/transcript/merge.js';

/** One call on the merger, or the clock moving on. Times in ms on the run's timeline. */
type Step =
  | ['final', string, number, number, string]
  | ['progress', string, number]
  | ['open', string, number | undefined]
  | ['end', string]
  | ['wait', number]
  | ['tick']
  | ['flush'];

/** Runs the steps; returns what each step released, as "source:text". */
function run(
  steps: readonly Step[],
  extra: Partial<TurnMergerOptions<string>> = {},
): { out: string[][]; dropped: string[]; merger: ReturnType<typeof createTurnMerger<string>>; clock: { t: number } } {
  const clock = { t: 0 };
  const merger = createTurnMerger<string>({ sources: ['mic', 'sys'], now: () => clock.t, ...extra });
  const out: string[][] = [];
  const dropped: string[] = [];
  const name = (i: MergeItem<string>): string => `${i.source}:${i.value}`;
  for (const step of steps) {
    let r;
    switch (step[0]) {
      case 'final':
        r = merger.final({ source: step[1], startMs: step[2], endMs: step[3], value: step[4] });
        break;
      case 'progress':
        r = merger.progress(step[1], step[2]);
        break;
      case 'open':
        r = merger.open(step[1], step[2]);
        break;
      case 'end':
        r = merger.end(step[1]);
        break;
      case 'wait':
        clock.t += step[1];
        out.push([]);
        continue;
      case 'tick':
        r = merger.tick();
        break;
      case 'flush':
        r = merger.flush();
        break;
    }
    out.push(r.released.map(name));
    dropped.push(...r.dropped.map(name));
  }
  return { out, dropped, merger, clock };
}

describe('createTurnMerger: the order spoken, not the order arrived', () => {
  it.each<[string, Step[], string[][]]>([
    [
      'interleaved: a turn waits until the other source has sent past its start',
      [
        ['final', 'mic', 0, 1000, 'hello'],
        ['progress', 'sys', 1500],
        ['final', 'sys', 1200, 2000, 'hi there'],
        ['progress', 'mic', 2500],
      ],
      [[], ['mic:hello'], [], ['sys:hi there']],
    ],
    [
      'arrived late: the later source says first what was said first',
      [
        ['open', 'sys', 500],
        ['final', 'mic', 1000, 3000, 'second'],
        ['final', 'sys', 500, 2500, 'first'],
      ],
      [[], [], ['sys:first', 'mic:second']],
    ],
    [
      'overlapping: by start, whoever ends first',
      [
        ['open', 'mic', 0],
        ['open', 'sys', 300],
        ['final', 'sys', 300, 1200, 'short'],
        ['final', 'mic', 0, 4000, 'long one'],
      ],
      [[], [], [], ['mic:long one', 'sys:short']],
    ],
    [
      'a turn in progress that starts later does not hold an earlier one',
      [
        ['open', 'sys', 2000],
        ['final', 'mic', 1000, 1800, 'before it'],
      ],
      [[], ['mic:before it']],
    ],
    [
      'the same start: the one given first',
      [
        ['open', 'sys', 1000],
        ['final', 'mic', 1000, 2000, 'mine'],
        ['final', 'sys', 1000, 2000, 'theirs'],
      ],
      [[], [], ['mic:mine', 'sys:theirs']],
    ],
    [
      'one source silent: its audio sent lets the other through, lagMs behind',
      [
        ['final', 'mic', 2000, 3000, 'alone'],
        ['progress', 'sys', 2900],
        ['progress', 'sys', 3000],
      ],
      [[], [], ['mic:alone']],
    ],
    [
      'one source failed: end() lets everything held through, and holds nothing later',
      [
        ['open', 'sys', 0],
        ['final', 'mic', 1000, 2000, 'a'],
        ['final', 'mic', 3000, 4000, 'b'],
        ['end', 'sys'],
        ['final', 'mic', 5000, 6000, 'c'],
      ],
      [[], [], [], ['mic:a', 'mic:b'], ['mic:c']],
    ],
    [
      'a source not heard from yet holds the others',
      [
        ['final', 'mic', 0, 500, 'early'],
        ['open', 'sys', undefined],
        ['progress', 'sys', 1000],
      ],
      [[], [], ['mic:early']],
    ],
  ])('%s', (_name, steps, expected) => {
    const { out, merger } = run(steps);
    expect(out).toEqual(expected);
    expect(merger.held).toBe(0);
  });
});

describe('createTurnMerger: the bounded hold', () => {
  it('a stalled source holds a turn at most maxHoldMs, then the rest comes by arrival', () => {
    const { out, merger } = run(
      [['open', 'sys', 0], ['final', 'mic', 1000, 2000, 'held'], ['wait', 2999], ['tick'], ['wait', 1], ['tick'], ['final', 'sys', 0, 5000, 'late']],
      { maxHoldMs: 3000 },
    );
    expect(out).toEqual([[], [], [], [], [], ['mic:held'], ['sys:late']]);
    expect(merger.held).toBe(0);
  });

  it('nextDeadlineMs is when the oldest held turn expires; releasing it releases what was spoken before it too', () => {
    const { merger, clock } = run(
      [
        ['open', 'sys', 0],
        ['final', 'mic', 5000, 6000, 'later, held first'],
        ['wait', 1000],
      ],
      { maxHoldMs: 3000 },
    );
    expect(merger.nextDeadlineMs()).toBe(3000);
    merger.final({ source: 'mic', startMs: 4000, endMs: 4500, value: 'earlier, held second' });
    clock.t = 3000;
    expect(merger.tick().released.map((i) => i.value)).toEqual(['earlier, held second', 'later, held first']);
    expect(merger.nextDeadlineMs()).toBeUndefined();
  });

  it('flush releases everything held, in order', () => {
    const { out } = run([['open', 'sys', 0], ['final', 'mic', 3000, 4000, 'b'], ['final', 'mic', 1000, 2000, 'a'], ['flush']]);
    expect(out.at(-1)).toEqual(['mic:a', 'mic:b']);
  });

  it('refuses a source it was not told of (a wiring mistake, not data)', () => {
    const merger = createTurnMerger<string>({ sources: ['mic'], now: () => 0 });
    expect(() => merger.progress('other', 0)).toThrow(/unknown source other/);
  });
});

describe('createTurnMerger: the drop filter', () => {
  const sameText = (item: MergeItem<string>, others: readonly MergeItem<string>[]): boolean =>
    item.source === 'mic' && others.some((x) => x.value === item.value);

  it('with overlapMs, a turn waits for an overlapping turn in progress that starts after it, so the filter sees both', () => {
    const { out, dropped } = run(
      [
        ['open', 'sys', 1100],
        ['final', 'mic', 1000, 2000, 'echo'],
        ['final', 'sys', 1100, 2100, 'echo'],
      ],
      { drop: sameText, overlapMs: 500 },
    );
    expect(out).toEqual([[], [], ['sys:echo']]);
    expect(dropped).toEqual(['mic:echo']);
  });

  it('without overlapMs the same turn goes before the other is known (nothing to compare with)', () => {
    const { out, dropped } = run(
      [
        ['open', 'sys', 1100],
        ['final', 'mic', 1000, 2000, 'echo'],
        ['final', 'sys', 1100, 2100, 'echo'],
      ],
      { drop: sameText },
    );
    expect(out).toEqual([[], ['mic:echo'], ['sys:echo']]);
    expect(dropped).toEqual([]);
  });

  it('sees turns released earlier too', () => {
    const { dropped } = run(
      [
        ['final', 'sys', 0, 1000, 'said'],
        ['progress', 'mic', 5000],
        ['final', 'mic', 100, 1100, 'said'],
        ['progress', 'sys', 5000],
      ],
      { drop: sameText },
    );
    expect(dropped).toEqual(['mic:said']);
  });
});
