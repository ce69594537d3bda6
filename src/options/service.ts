/**
 * The options of today's service (issue 12, docs/service.md#speech-models) -> the model, its query parameters and the
 * credentials of each session. Pure like config.ts, which calls it: throws UsageError, returns the warnings and
 * notes for the run to show (unless --quiet). The knowledge of models is streaming/models.ts; this file only
 * applies it to the command line, in this order: the model name, the languages, the model choice,
 * --format-turns, the options the model must have, then their values.
 */
import { UsageError } from '../core/errors.js';
import {
  checkModelName,
  checkOptionsForModel,
  chooseModel,
  formatTurnsEffect,
  parseLanguages,
  PROMPT_MAX_CHARS,
  type ModelFeature,
} from '../streaming/models.js';
import type { Credentials, Mode, ModelParams, Notice, RedactPiiSub, VoiceFocus } from '../core/types.js';
import { choiceValue, numberValue } from './values.js';
import type { RawOptions } from './raw-options.js';

/** The settings this file reads: its slice of RawOptions (the types follow from the table). */
export type ServiceRawOptions = Pick<
  RawOptions,
  | 'speechModel'
  | 'formatTurns'
  | 'language'
  | 'prompt'
  | 'mode'
  | 'vadThreshold'
  | 'voiceFocus'
  | 'redactPii'
  | 'redactPiiSub'
  | 'filterProfanity'
  | 'speakerLabels'
  | 'maxSpeakers'
  | 'keyterms'
  | 'keytermsFileText'
  | 'endOfTurnConfidenceThreshold'
  | 'token'
  | 'apiKey'
  | 'tokenCommand'
>;

export interface ServiceChoice {
  speechModel: string;
  formatTurns: boolean | undefined;
  model: ModelParams;
  notices: Notice[];
}

const refuse = (message: string, hint?: string): never => {
  throw new UsageError(message, hint);
};

/** The model from --speech-model and --language: a typo refused, legacy and unknown names said. */
function resolveModel(raw: ServiceRawOptions, notices: Notice[]): { model: string; params: ModelParams } {
  let asked: string | undefined;
  if (raw.speechModel !== undefined) {
    const checked = checkModelName(raw.speechModel.trim());
    if (checked.kind === 'typo') return refuse(checked.message, checked.hint);
    if (checked.kind === 'known' && checked.warning !== undefined) notices.push({ kind: 'warning', text: checked.warning });
    if (checked.kind === 'unknown') notices.push({ kind: 'note', text: checked.note });
    asked = checked.model;
  }
  let languages: string[] | 'auto' | undefined;
  if (raw.language !== undefined) {
    const parsed = parseLanguages(raw.language);
    if (!parsed.ok) return refuse(parsed.message, parsed.hint);
    languages = parsed.languages;
  }
  const chosen = chooseModel({ ...(asked === undefined ? {} : { speechModel: asked }), ...(languages === undefined ? {} : { languages }) });
  if (!chosen.ok) return refuse(chosen.message, chosen.hint);
  for (const text of chosen.choice.notes) notices.push({ kind: 'note', text });
  if (asked === undefined && languages !== undefined && languages !== 'auto') {
    notices.push({ kind: 'note', text: `--language ${languages.join(',')}: using ${chosen.choice.model}` });
  }
  return { model: chosen.choice.model, params: { ...chosen.choice.params } };
}

/** Which model-specific options were given, for checkOptionsForModel. */
function givenFeatures(raw: ServiceRawOptions): Partial<Record<ModelFeature, boolean>> {
  return {
    prompt: raw.prompt !== undefined,
    mode: raw.mode !== undefined,
    vadThreshold: raw.vadThreshold !== undefined,
    voiceFocus: raw.voiceFocus !== undefined,
    redactPii: raw.redactPii !== undefined,
    redactPiiSub: raw.redactPiiSub !== undefined,
    filterProfanity: raw.filterProfanity === true,
    keyterms: raw.keyterms !== undefined || raw.keytermsFileText !== undefined,
    endOfTurnConfidenceThreshold: raw.endOfTurnConfidenceThreshold !== undefined,
    speakerLabels: raw.speakerLabels === true,
    maxSpeakers: raw.maxSpeakers !== undefined,
  };
}

/** The values of the model-specific options, each checked (the model was checked to have them). */
function optionValues(raw: ServiceRawOptions, p: ModelParams): void {
  if (raw.prompt !== undefined) {
    if (raw.prompt.trim() === '') refuse('--prompt is empty', 'describe the audio in a sentence, or leave the flag out');
    if (raw.prompt.length > PROMPT_MAX_CHARS) refuse(`--prompt has ${raw.prompt.length} characters; the service takes at most ${PROMPT_MAX_CHARS}`);
    p.prompt = raw.prompt;
  }
  if (raw.mode !== undefined) p.mode = choiceValue<Mode>('mode', raw.mode);
  if (raw.vadThreshold !== undefined) p.vadThreshold = numberValue('vad-threshold', raw.vadThreshold);
  if (raw.voiceFocus !== undefined) p.voiceFocus = choiceValue<VoiceFocus>('voice-focus', raw.voiceFocus);
  if (raw.redactPii !== undefined) {
    const policies = [
      ...new Set(
        raw.redactPii
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      ),
    ];
    const bad = policies.find((t) => !/^[a-z][a-z0-9_]*$/.test(t));
    if (policies.length === 0)
      refuse('--redact-pii is empty', 'name the kinds of personal data to redact, e.g. --redact-pii person_name,phone_number');
    if (bad !== undefined)
      refuse(`--redact-pii "${bad}" is not a policy name`, 'policies are lower-case words joined by _, e.g. person_name,email_address');
    p.redactPiiPolicies = policies;
  }
  if (raw.redactPiiSub !== undefined) p.redactPiiSub = choiceValue<RedactPiiSub>('redact-pii-sub', raw.redactPiiSub);
  if (raw.filterProfanity === true) p.filterProfanity = true;
  if (raw.speakerLabels === true) p.speakerLabels = true;
  if (raw.maxSpeakers !== undefined) {
    p.maxSpeakers = numberValue('max-speakers', raw.maxSpeakers);
  }
}

/** The model, `format_turns` and the model's parameters for the command line, with what to tell the user. */
export function resolveService(raw: ServiceRawOptions): ServiceChoice {
  const notices: Notice[] = [];
  const { model, params } = resolveModel(raw, notices);
  const formatting = formatTurnsEffect(model, raw.formatTurns);
  if (formatting.warning !== undefined) notices.push({ kind: 'warning', text: formatting.warning });
  const problem = checkOptionsForModel(model, givenFeatures(raw))[0];
  if (problem !== undefined) refuse(problem.message, problem.hint);
  optionValues(raw, params);
  return { speechModel: model, formatTurns: formatting.send, model: params, notices };
}

/** --keyterms (comma-separated) and --keyterms-file (one term a line; # starts a comment), together. */
export function keytermList(raw: Pick<ServiceRawOptions, 'keyterms' | 'keytermsFileText'>): string[] | undefined {
  if (raw.keyterms === undefined && raw.keytermsFileText === undefined) return undefined;
  const fromFlag = raw.keyterms === undefined ? [] : raw.keyterms.split(',');
  const fromFile = (raw.keytermsFileText ?? '').split(/\r?\n/).filter((l) => !l.trim().startsWith('#'));
  return [...fromFlag, ...fromFile].map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * --token-command CMD: run before each session for a new temporary token. It stands alone: with --token or
 * --api-key it is refused. Undefined without it (config.ts's resolveAuth decides).
 */
export function tokenCommandCredentials(raw: Pick<ServiceRawOptions, 'token' | 'apiKey' | 'tokenCommand'>): Credentials | undefined {
  if (raw.tokenCommand === undefined) return undefined;
  if (raw.token !== undefined || raw.apiKey !== undefined) {
    refuse(
      '--token-command cannot be used with --token or --api-key',
      'give one way to authenticate: a command that prints a token each session, a token, or a key',
    );
  }
  if (raw.tokenCommand.trim() === '')
    refuse('--token-command is empty', 'give a command that prints a temporary token, e.g. --token-command "./mint-token.sh"');
  return { kind: 'token-command', command: raw.tokenCommand };
}
