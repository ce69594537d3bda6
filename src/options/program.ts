/**
 * The commander options of a command, made from the option table (options/table.ts): flags, help lines (with
 * the default, the allowed values and the variable added from the table), help groups. commander only splits
 * the command line: every value is checked later, by options/values.ts, as the file's and the environment's are.
 */
import { CommanderError, Option, type Command } from 'commander';
import { formatGivenTwice } from '../render/repeat-messages.js';
import { allowedValues, flagsOf, GROUPS, optionsOf, type CommandName, type OptionSpec } from './table.js';

/** 'essentials': the first screen (essential options only, one list); 'all': every option, in its group. */
export type HelpView = 'essentials' | 'all';

/** The help line of an option for a command: its words, then the values, the default and the variable. */
export function helpLine(option: OptionSpec, command: CommandName): string {
  const values = allowedValues(option);
  const extra = [
    ...(values === undefined ? [] : [`one of: ${values.join(', ')}`]),
    ...(option.default === undefined || option.value.kind === 'switch' ? [] : [`default: ${option.default}`]),
    ...(option.env === undefined ? [] : [option.value.kind === 'switch' ? `also: ${option.env}=1` : `also: $${option.env}`]),
  ];
  const words = option.helpFor?.[command] ?? option.help;
  return extra.length === 0 ? words : `${words} (${extra.join('; ')})`;
}

/** A repeatable flag: every value in the order given. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A flag with one value given twice is refused, instead of keeping the last one without a word. */
function onlyOnce(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw new CommanderError(2, 'live-transcribe.givenTwice', formatGivenTwice(flag, previous, value));
    return value;
  };
}

function argOf(option: OptionSpec): string {
  return option.value.kind === 'switch' ? '' : ` ${option.value.arg}`;
}

function commanderOptions(option: OptionSpec, command: CommandName): Option[] {
  const [first, ...rest] = flagsOf(option);
  const short = option.short === undefined ? '' : `${first}, `;
  const longs = option.short === undefined ? [first, ...rest] : rest;
  return longs.map((long, i) => {
    const negated = long?.startsWith('--no-') === true && option.negate === 'also';
    const made = new Option(`${i === 0 ? short : ''}${long}${argOf(option)}`, negated ? (option.negatedHelp ?? '') : helpLine(option, command));
    if (option.repeat === true) made.argParser(collect);
    else if (option.once === true) made.argParser(onlyOnce(`--${option.name}`));
    return made;
  });
}

/**
 * Adds the table's options of `command` to a program (not help and version: `program` declares those itself,
 * through helpOption and version, with the table's words). In the 'essentials' view the other options stay
 * accepted but hidden from the help.
 */
export function addTableOptions(program: Command, command: CommandName, view: HelpView): Command {
  for (const option of optionsOf(command)) {
    if (option.name === 'help' || option.name === 'version') continue;
    for (const made of commanderOptions(option, command)) {
      if (view === 'essentials' && option.essential !== true) made.hideHelp();
      if (view === 'all') made.helpGroup(GROUPS[option.group]);
      program.addOption(made);
    }
  }
  return program;
}

/** The help and version options of a command, from the table, in their group. */
export function addProgramOptions(program: Command, command: CommandName, view: HelpView, version?: string): Command {
  for (const option of optionsOf(command)) {
    if (option.name !== 'help' && option.name !== 'version') continue;
    const made = new Option(`-${option.short}, --${option.name}`, helpLine(option, command));
    if (view === 'all') made.helpGroup(GROUPS[option.group]);
    if (option.name === 'help') program.addHelpOption(made);
    else if (version !== undefined) {
      if (view === 'essentials' && option.essential !== true) made.hideHelp();
      program.version(version, made.flags, made.description);
      const added = program.options.find((o) => o.long === '--version');
      if (view === 'all') added?.helpGroup(GROUPS[option.group]);
      if (view === 'essentials') added?.hideHelp();
    }
  }
  return program;
}
