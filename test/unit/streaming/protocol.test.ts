import { describe, expect, it } from 'vitest';
import { buildUrl, describeHttpRejection, describeServerError, expectsFormattedTwin, parseServerMessage } from '../../../src/streaming/protocol.js';
import { exitCodeFor } from '../../../src/core/errors.js';

const params = { sampleRateHz: 16000, encoding: 'pcm_s16le' as const, formatTurns: true, speechModel: 'universal-streaming-english' };

describe('buildUrl', () => {
  it('serialises parameters as docs/service.md#connecting says and never includes an API key', () => {
    const url = new URL(
      buildUrl(
        'wss://h/v3/ws',
        {
          ...params,
          formatTurns: false,
          keyterms: ['a b', 'c'],
          endOfTurnConfidenceThreshold: 0,
          minTurnSilenceMs: 0,
          maxTurnSilenceMs: 1280,
          inactivityTimeoutS: 5,
        },
        { kind: 'key', apiKey: 'secret-key-1' },
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      sample_rate: '16000',
      encoding: 'pcm_s16le',
      speech_model: 'universal-streaming-english',
      format_turns: 'false',
      keyterms_prompt: '["a b","c"]',
      end_of_turn_confidence_threshold: '0',
      min_turn_silence: '0',
      max_turn_silence: '1280',
      inactivity_timeout: '5',
    });
    expect(url.toString()).not.toContain('secret-key-1');
  });

  it('puts a temporary token in the token parameter, first', () => {
    const url = buildUrl('wss://h/v3/ws', params, { kind: 'token', token: 'tok' });
    expect(url).toMatch(/\?token=tok&sample_rate=16000/);
  });
});

describe('parseServerMessage', () => {
  it('parses Begin, Turn, Termination, Error and Warning', () => {
    expect(parseServerMessage('{"expires_at":1759796682,"id":"abc","type":"Begin","configuration":{}}')).toEqual({
      type: 'Begin',
      id: 'abc',
      expiresAt: 1759796682,
    });
    const turn = parseServerMessage(
      JSON.stringify({
        type: 'Turn',
        turn_order: 2,
        turn_is_formatted: true,
        end_of_turn: true,
        transcript: 'Hi.',
        end_of_turn_confidence: 0.9,
        words: [{ text: 'Hi.', start: 10, end: 20, confidence: 0.5, word_is_final: true }],
        utterance: '',
        language_code: 'en',
        new_field: 1,
      }),
    );
    expect(turn).toEqual({
      type: 'Turn',
      turnOrder: 2,
      endOfTurn: true,
      formatted: true,
      transcript: 'Hi.',
      endOfTurnConfidence: 0.9,
      words: [{ text: 'Hi.', startMs: 10, endMs: 20, confidence: 0.5, final: true }],
      languageCode: 'en',
    });
    expect(parseServerMessage('{"type":"Termination"}')).toEqual({ type: 'Termination', audioDurationS: undefined, sessionDurationS: undefined });
    expect(parseServerMessage('{"type":"Termination","audio_duration_seconds":7,"session_duration_seconds":8}')).toMatchObject({
      audioDurationS: 7,
      sessionDurationS: 8,
    });
    expect(parseServerMessage('{"type":"Error","error_code":3005,"error":"x"}')).toEqual({ type: 'Error', code: 3005, message: 'x' });
    expect(parseServerMessage('{"error":"legacy"}')).toEqual({ type: 'Error', code: undefined, message: 'legacy' });
    expect(parseServerMessage('{"type":"Warning","warning_code":1,"warning":"w"}')).toEqual({ type: 'Warning', code: 1, message: 'w' });
  });

  it.each([
    'not json',
    '[]',
    'null',
    '"s"',
    '{}',
    '{"type":"Turn"}',
    '{"type":"Turn","turn_order":-1,"end_of_turn":true}',
    '{"type":"Turn","turn_order":"1","end_of_turn":false}',
    '{"type":"Begin"}',
  ])('never throws on malformed %s', (text) => {
    expect(parseServerMessage(text).type).toBe('Invalid');
  });

  it('keeps what the network sends in bounds: times, ids, messages', () => {
    for (const bad of [5, -1e300, 1e300, 2 ** 53, '"tomorrow"']) {
      expect(parseServerMessage(`{"type":"Begin","id":"x","expires_at":${bad}}`)).toMatchObject({ expiresAt: undefined });
    }
    expect(parseServerMessage('{"type":"Begin","id":"id-\\u001b[2J\\u009bx"}')).toMatchObject({ id: 'id-[2Jx' });
    expect(parseServerMessage('{"type":"Warning","warning":"careful \\u001b[2J here"}')).toMatchObject({ message: 'careful [2J here' });
    const t = parseServerMessage(
      '{"type":"Turn","turn_order":0,"end_of_turn":true,"words":[{"text":"a","start":-5,"end":1e308}],"language_code":"en\\u0007"}',
    );
    expect(t).toMatchObject({ words: [{ startMs: 0, endMs: 864_000_000 }], languageCode: 'en' });
  });

  it('reports unknown types as Unknown', () => {
    expect(parseServerMessage('{"type":"LLMGatewayResponse","data":{}}')).toEqual({ type: 'Unknown', name: 'LLMGatewayResponse' });
  });

  it('skips malformed words', () => {
    const t = parseServerMessage('{"type":"Turn","turn_order":0,"end_of_turn":false,"words":[null,{"text":5},{"text":"ok"}]}');
    expect(t).toMatchObject({ words: [{ text: 'ok', startMs: 0, endMs: 0, confidence: 0, final: true }], transcript: '' });
  });
});

describe('errors from the service', () => {
  it.each([
    [1008, 'Unauthorized Connection: Invalid API key', 4, /rejected the credentials \(Unauthorized Connection: Invalid API key\)/],
    [1008, 'Unauthorized connection: Too many concurrent sessions', 1, /too many sessions/],
    [3009, 'Unauthorized Connection: Too many concurrent sessions', 1, /too many sessions/],
    [3005, 'Session Cancelled: An error occurred', 1, /cancelled the session/],
    [3006, "User Input Validation Error: Invalid 'sample_rate'", 1, /refused the request/],
    [3007, 'Input Duration Error', 1, /refused the audio/],
    [3008, 'Session Expired: Maximum session duration exceeded', 1, /maximum duration/],
    [1006, '', 1, /connection to the service was lost/],
    [1011, '', 1, /internal error/],
    [4999, 'See Error message for details', 1, /closed the connection \(code 4999\)$/],
  ])('%i %s -> exit %i', (code, text, exit, message) => {
    const err = describeServerError(code, text);
    expect(exitCodeFor(err)).toBe(exit);
    expect(err.message).toMatch(message);
  });

  it('shows the HTTP status and body of a refused upgrade', () => {
    const e401 = describeHttpRejection(401, '{"error":"Invalid API key"}');
    expect(e401.message).toBe('the service rejected the credentials (HTTP 401: Invalid API key)');
    expect(exitCodeFor(e401)).toBe(4);
    expect(exitCodeFor(describeHttpRejection(403, 'blocked'))).toBe(4);
    const e500 = describeHttpRejection(503, 'down for maintenance');
    expect(e500.message).toContain('HTTP 503: down for maintenance');
    expect(exitCodeFor(e500)).toBe(1);
  });
});

describe('expectsFormattedTwin', () => {
  it('only for Universal-Streaming with format_turns: the u3 family and whisper-rt are always formatted (docs/service.md#speech-models)', () => {
    expect(expectsFormattedTwin(params)).toBe(true);
    expect(expectsFormattedTwin({ ...params, formatTurns: false })).toBe(false);
    expect(expectsFormattedTwin({ ...params, formatTurns: undefined })).toBe(false);
    expect(expectsFormattedTwin({ ...params, speechModel: 'u3-rt-pro' })).toBe(false);
    expect(expectsFormattedTwin({ ...params, speechModel: 'whisper-rt' })).toBe(false);
  });
});

describe("today's service (docs/service.md#speech-models)", () => {
  it('leaves format_turns out when it is undefined, and adds the model parameters', () => {
    const url = new URL(
      buildUrl(
        'wss://h/v3/ws',
        {
          ...params,
          speechModel: 'universal-3-6-pro',
          formatTurns: undefined,
          model: { languageCodes: ['de', 'en'], speakerLabels: true, maxSpeakers: 3, redactPiiPolicies: ['person_name', 'phone_number'] },
        },
        { kind: 'key', apiKey: 'k' },
      ),
    );
    const q = Object.fromEntries(url.searchParams);
    expect(q.format_turns).toBeUndefined();
    expect(q).toMatchObject({
      language_codes: '["de","en"]',
      speaker_labels: 'true',
      max_speakers: '3',
      redact_pii: 'true',
      redact_pii_policies: 'person_name,phone_number',
    });
  });

  it('parses speakers and languages on turns and words', () => {
    const t = parseServerMessage(
      JSON.stringify({
        type: 'Turn',
        turn_order: 2,
        end_of_turn: true,
        transcript: 'hi',
        end_of_turn_confidence: 1,
        language_code: 'de',
        language_confidence: 0.8,
        speaker_label: 'B',
        speaker_confidence: 0.7,
        words: [{ text: 'hi', start: 0, end: 100, confidence: 1, word_is_final: true, speaker: 'B', speaker_confidence: 0.6 }],
      }),
    );
    expect(t).toMatchObject({
      languageCode: 'de',
      languageConfidence: 0.8,
      speakerLabel: 'B',
      speakerConfidence: 0.7,
      words: [{ speaker: 'B', speakerConfidence: 0.6 }],
    });
  });

  it('parses SpeakerRevision (skipping malformed items) and Begin.configuration.model', () => {
    expect(parseServerMessage('{"type":"SpeakerRevision","revisions":[{"turn_order":1,"speaker_label":"A"},{"turn_order":"x"},null]}')).toEqual({
      type: 'SpeakerRevision',
      revisions: [{ turnOrder: 1, speaker: 'A' }],
    });
    expect(parseServerMessage('{"type":"Begin","id":"s","expires_at":1900000000,"configuration":{"model":"universal-3-6-pro"}}')).toMatchObject({
      type: 'Begin',
      model: 'universal-3-6-pro',
    });
    expect(parseServerMessage('{"type":"Begin","id":"s"}')).not.toHaveProperty('model');
  });

  it.each(['SpeechStarted', 'Silence', 'Heartbeat'])('reads %s and marks it ignored', (name) => {
    expect(parseServerMessage(JSON.stringify({ type: name, start_ms: 0, end_ms: 10 }))).toEqual({ type: 'Ignored', name });
  });

  it("says the service's 3006 for an unknown model in plain words, exit 2", () => {
    const e = describeServerError(
      3006,
      "User Input Validation Error: Invalid 'speech_model': Input should be 'universal-streaming-english', '_internal' or 'universal-3-6-pro'",
      'universal-3-8-pro',
    );
    expect(e.message).toBe('the service does not know the speech model "universal-3-8-pro"');
    expect(e.hint).toBe('the service accepts: universal-streaming-english, universal-3-6-pro');
    expect(exitCodeFor(e)).toBe(2);
    expect(describeServerError(3006, "Invalid 'sample_rate': too high").message).toMatch(/the service refused the request/);
  });
});
