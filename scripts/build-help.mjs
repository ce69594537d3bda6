// Writes dist/help.json: the structure of `live-transcribe --help`, `--help all` and `live-transcribe doctor --help`
// (usage, description, options, the sections of the text after them), taken from the program's own
// commander definitions after the bundle (scripts/bundle.mjs). bin/help.cjs lays it out for the terminal it is shown on, so the
// fast --help path never loads commander.
import { renameSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { runCli } from '../.build/cli.mjs';

/** The Command that runCli(argv) would print help for: outputHelp is caught instead of printed. */
async function helpCommand(argv) {
  const outputHelp = Command.prototype.outputHelp;
  let shown;
  Command.prototype.outputHelp = function capture() {
    shown = this;
  };
  try {
    const sink = { write: () => true };
    await runCli(argv, { version: '0.0.0', nodeVersion: process.version, stdout: sink, stderr: sink, env: {}, platform: process.platform });
  } finally {
    Command.prototype.outputHelp = outputHelp;
  }
  if (shown === undefined) throw new Error(`live-transcribe ${argv.join(' ')} showed no help`);
  return shown;
}

/** `  term  description` -> { term, description }; a description starting with `# ` is a shell comment. */
function parseItem(line) {
  const [, term, description = ''] = /^\s*(.*?)(?:\s{2,}(.*))?$/.exec(line);
  if (description.startsWith('# ')) return { term, description: description.slice(2), comment: true };
  return description === '' ? { term } : { term, description };
}

/** Text after the options: blocks separated by blank lines; `Title:` over indented lines is a list. */
function parseSections(text) {
  return text
    .split(/\n[ \t]*\n/)
    .map((block) => block.replace(/^\n+|\n+$/g, ''))
    .filter((block) => block !== '')
    .map((block) => {
      const [first = '', ...rest] = block.split('\n');
      if (first.endsWith(':') && rest.length > 0 && rest.every((l) => l.startsWith('  '))) {
        return { title: first, items: rest.map(parseItem) };
      }
      return {
        text: block
          .split('\n')
          .map((l) => l.trim())
          .join(' '),
      };
    });
}

function emitted(cmd, event) {
  let text = '';
  cmd.emit(event, { error: false, command: cmd, write: (s) => (text += s) });
  return text;
}

function describeCommand(cmd) {
  const helper = cmd.createHelp();
  if (helper.visibleCommands(cmd).length > 0 || helper.visibleArguments(cmd).length > 0) {
    throw new Error(`${cmd.name()}: subcommands and arguments are not laid out by bin/help.cjs`);
  }
  const visible = helper.visibleOptions(cmd);
  const options = visible.map((o) => ({ term: helper.optionTerm(o), description: helper.optionDescription(o) }));
  // Long-only flags line up under the long flags of `-x, --long` options.
  const short = options.some((o) => /^-\w, /.test(o.term));
  for (const o of options) if (short && !/^-\w, /.test(o.term)) o.term = `    ${o.term}`;
  // The options in their help groups (options/table.ts GROUPS), in the order the groups first appear.
  const groups = new Map();
  visible.forEach((o, i) => {
    const title = o.helpGroupHeading ?? 'Options:';
    groups.set(title, [...(groups.get(title) ?? []), options[i]]);
  });
  return {
    usage: `${helper.commandUsage(cmd)}`,
    description: helper.commandDescription(cmd),
    sections: [
      ...parseSections(emitted(cmd, 'beforeHelp')),
      ...[...groups].map(([title, items]) => ({ title, items, options: true })),
      ...parseSections(emitted(cmd, 'afterHelp')),
    ],
  };
}

const help = {
  main: describeCommand(await helpCommand(['--help'])),
  all: describeCommand(await helpCommand(['--help', 'all'])),
  doctor: describeCommand(await helpCommand(['doctor', '--help'])),
};
// Replaced whole (written beside, renamed over): a --help started meanwhile never reads half a file.
const target = new URL('../dist/help.json', import.meta.url);
const partial = new URL(`../dist/help.json.${process.pid}.partial`, import.meta.url);
writeFileSync(partial, `${JSON.stringify(help, null, 1)}\n`);
renameSync(partial, target);
