'use strict';
// Lays out the help that `npm run build` wrote to dist/help.json (scripts/build-help.mjs) for a terminal
// of a given width: text wrapped at word boundaries, descriptions in one aligned column, a term too wide
// for the column on its own line, a shell command too wide for the screen continued with ` \`.
// Plain CommonJS without dependencies, so `--help` starts as fast as `--version`.

const INDENT = '  ';
const GAP = 2;
/** Narrower than this, a description goes under its term instead of beside it. */
const MIN_DESCRIPTION = 20;

/** Greedy word wrap; a word longer than the width stands alone on its line, whole. */
function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Words of a shell command, quoted strings kept whole. */
function shellWords(command) {
  return command.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) || [];
}

/** A command as typed: on one line if it fits, else continued with ` \` (still runs when pasted). */
function commandLines(command, width) {
  if (INDENT.length + command.length <= width) return [INDENT + command];
  const lines = wrap(shellWords(command).join(' '), width - INDENT.length - 4);
  return lines.map((l, i) => `${i === 0 ? INDENT : `${INDENT}  `}${l}${i < lines.length - 1 ? ' \\' : ''}`);
}

/** An option: its description beside it in the column, or under it when the flags are wider. */
function optionLines(item, column, width) {
  const beside = width - INDENT.length - column - GAP;
  if (beside < MIN_DESCRIPTION) return [INDENT + item.term, ...wrap(item.description, width - 6).map((l) => `      ${l}`)];
  const pad = ' '.repeat(INDENT.length + column + GAP);
  const text = wrap(item.description, beside);
  if (item.term.length > column) return [INDENT + item.term, ...text.map((l) => pad + l)];
  return text.map((l, i) => (i === 0 ? `${INDENT}${item.term.padEnd(column + GAP)}${l}` : pad + l));
}

/** A shell command and its `# comment`: on one line when both fit, else the comment above the command. */
function commandFits(item, column, width) {
  return item.term.length <= column && INDENT.length + column + GAP + 2 + item.description.length <= width;
}

function exampleLines(item, column, width) {
  if (commandFits(item, column, width)) return [`${INDENT}${item.term.padEnd(column + GAP)}# ${item.description}`];
  return [...wrap(item.description, width - INDENT.length - 2).map((l) => `${INDENT}# ${l}`), ...commandLines(item.term, width)];
}

/**
 * The column of commented commands: the widest of those up to half the screen, if every one of them then
 * has its comment beside it on one line; else 0, and every comment goes above its command.
 */
function exampleColumn(items, width) {
  const short = items.filter((i) => i.description !== undefined && i.term.length <= width / 2);
  const column = Math.max(0, ...short.map((i) => i.term.length));
  return short.every((i) => commandFits(i, column, width)) ? column : 0;
}

/** The column of options: the widest flags that leave room for a readable description beside them. */
function optionColumn(items, width) {
  const cap = Math.floor((width - INDENT.length - GAP) * 0.45);
  return Math.max(0, ...items.filter((i) => i.term.length <= cap).map((i) => i.term.length));
}

function itemLines(items, width, sharedColumn) {
  const comments = items.some((i) => i.comment);
  const column = comments ? exampleColumn(items, width) : (sharedColumn ?? optionColumn(items, width));
  return items.flatMap((item) => {
    if (item.description === undefined) return commandLines(item.term, width);
    return comments ? exampleLines(item, column, width) : optionLines(item, column, width);
  });
}

/** The help of one command (`main`, `all` or `doctor` of dist/help.json), laid out for `width` columns. */
function renderHelp(help, width) {
  const lines = [`Usage: ${help.usage}`, ''];
  if (help.description) lines.push(...wrap(help.description, width), '');
  // The option groups share one column, so the descriptions line up from one group to the next.
  const optionItems = help.sections.filter((s) => s.options).flatMap((s) => s.items);
  const column = optionItems.length === 0 ? undefined : optionColumn(optionItems, width);
  for (const section of help.sections) {
    if (section.text !== undefined) lines.push(...wrap(section.text, width));
    else lines.push(section.title, ...itemLines(section.items, width, section.options ? column : undefined));
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

module.exports = { renderHelp };
