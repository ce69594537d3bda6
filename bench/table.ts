/** The bench's result table: one row per figure, live-transcribe beside its reference, as Markdown. */

export interface Row {
  figure: string;
  ours: string;
  reference: string;
  ratio: string;
  target: string;
  met: boolean | undefined;
}

/** `a / b` as "1.23x", or "-" when either is not a number. */
export const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}x` : '-');

export function renderTable(rows: Row[]): string {
  const header = ['figure', 'live-transcribe', 'reference', 'ratio', 'target', 'met'];
  const body = rows.map((r) => [r.figure, r.ours, r.reference, r.ratio, r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
  const lines = [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}
