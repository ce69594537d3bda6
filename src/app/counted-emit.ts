import type { StopConditions } from '../core/types.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { createStopPhraseEmit, createStopPhraseMatcher } from '../transcript/stop-phrase.js';

/**
 * The assembler's emit: through the stop phrase when there is one (issue 14), counting the final turns
 * written (a turn that was only the phrase is not one): none at all is exit 5, nothing was said.
 */
export function countedEmit(
  settings: Pick<StopConditions, 'stopPhrases'>,
  emit: (event: TranscriptEvent) => void,
  onStopPhrase: () => void,
): { emit: (event: TranscriptEvent) => void; readonly turns: number } {
  let turns = 0;
  const counted = (event: TranscriptEvent): void => {
    if (event.type === 'turn') turns += 1;
    emit(event);
  };
  const phrases = settings.stopPhrases;
  return {
    emit: phrases === undefined ? counted : createStopPhraseEmit(createStopPhraseMatcher(phrases), counted, onStopPhrase),
    get turns() {
      return turns;
    },
  };
}
