/** Where one setting came from, as plain data (options/origin.ts finds it, render/setting-origin.ts says it in words). */
export type Origin =
  | { kind: 'flag'; flag: string }
  | { kind: 'env'; variable: string }
  | { kind: 'file'; file: string; line: number | undefined; profile?: string }
  | { kind: 'default' };
