/**
 * --stop-phrase (repeatable) and `stop-phrase = [...]` in the config file -> the phrases a run stops on.
 * Pure; a phrase with no words (only spaces or punctuation) is a UsageError (exit 2).
 */
import { UsageError } from '../core/errors.js';
import { stopPhraseWords } from '../transcript/stop-phrase.js';

export function parseStopPhrases(phrases: readonly string[] | undefined): string[] | undefined {
  if (phrases === undefined || phrases.length === 0) return undefined;
  for (const phrase of phrases) {
    if (stopPhraseWords(phrase).length === 0) {
      throw new UsageError(
        `--stop-phrase ${JSON.stringify(phrase)} has no words`,
        'give the words that end the run, e.g. --stop-phrase "stop recording"',
      );
    }
  }
  return [...phrases];
}
