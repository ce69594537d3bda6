/**
 * A tiny virtual terminal for unit tests of the live view: interprets the escapes the view emits
 * (CR, LF, cursor up, erase down, SGR, synchronized output) with xterm's deferred wrap, and returns
 * the final screen, so tests assert what a person would see rather than bytes.
 */
export class VirtualTerminal {
  private rows: string[][] = [[]];
  private row = 0;
  private col = 0;
  private pendingWrap = false;

  constructor(readonly columns: number) {}

  write(data: string): void {
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === '\u001b') {
        const m = /^\u001b\[(\??)(\d*)([A-Za-z])/.exec(data.slice(i));
        if (m === null) throw new Error(`unsupported escape at ${JSON.stringify(data.slice(i, i + 10))}`);
        this.escape(m[1] ?? '', m[2] ?? '', m[3] ?? '');
        i += m[0].length;
        continue;
      }
      if (ch === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (ch === '\n') {
        this.row += 1;
        this.col = 0;
        this.pendingWrap = false;
        this.ensureRow();
      } else {
        if (this.pendingWrap) {
          this.row += 1;
          this.col = 0;
          this.pendingWrap = false;
          this.ensureRow();
        }
        const line = this.rows[this.row]!;
        while (line.length < this.col) line.push(' ');
        line[this.col] = ch;
        if (this.col === this.columns - 1) this.pendingWrap = true;
        else this.col += 1;
      }
      i += 1;
    }
  }

  private escape(priv: string, arg: string, final: string): void {
    if (priv === '?') return; // mode switches (synchronized output): no effect on content
    const n = arg === '' ? 1 : Number(arg);
    switch (final) {
      case 'm':
        return; // colours
      case 'A':
        this.row = Math.max(0, this.row - n);
        this.pendingWrap = false;
        return;
      case 'J':
        if (arg === '' || arg === '0') {
          this.rows[this.row] = this.rows[this.row]!.slice(0, this.col);
          this.rows.length = this.row + 1;
          return;
        }
        throw new Error(`unsupported J ${arg}`);
      case 'K': {
        const line = this.rows[this.row]!;
        if (arg === '2') this.rows[this.row] = [];
        else if (arg === '' || arg === '0') this.rows[this.row] = line.slice(0, this.col);
        else throw new Error(`unsupported K ${arg}`);
        return;
      }
      default:
        throw new Error(`unsupported escape ${final}`);
    }
  }

  private ensureRow(): void {
    while (this.rows.length <= this.row) this.rows.push([]);
  }

  /** Screen lines, trailing blank lines removed. */
  screen(): string[] {
    const lines = this.rows.map((r) => r.join('').trimEnd());
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}
