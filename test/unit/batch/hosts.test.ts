import { describe, expect, it } from 'vitest';
import { prerecordedBaseUrl } from '../../../src/batch/hosts.js';

describe('prerecordedBaseUrl', () => {
  it('maps the default and EU streaming hosts to the API hosts (docs/service.md#pre-recorded-hosts-and-authentication)', () => {
    expect(prerecordedBaseUrl('wss://streaming.assemblyai.com/v3/ws')).toBe('https://api.assemblyai.com');
    expect(prerecordedBaseUrl('wss://streaming.eu.assemblyai.com/v3/ws')).toBe('https://api.eu.assemblyai.com');
  });
  it('keeps every endpoint on a custom host and port', () => {
    expect(prerecordedBaseUrl('ws://127.0.0.1:4321/v3/ws')).toBe('http://127.0.0.1:4321');
    expect(prerecordedBaseUrl('wss://proxy.example.com:8443/v3/ws')).toBe('https://proxy.example.com:8443');
  });
});
