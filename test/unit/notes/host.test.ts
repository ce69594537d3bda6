import { describe, expect, it } from 'vitest';
import { gatewayLocation } from '../../../src/notes/host.js';

describe('gatewayLocation', () => {
  it.each([
    ['wss://streaming.assemblyai.com/v3/ws', 'https://llm-gateway.assemblyai.com', 'us'],
    ['wss://streaming.eu.assemblyai.com/v3/ws', 'https://llm-gateway.eu.assemblyai.com', 'eu'],
    ['wss://STREAMING.EU.ASSEMBLYAI.COM/v3/ws', 'https://llm-gateway.eu.assemblyai.com', 'eu'],
    // A custom host: every endpoint on that host (the test double, a corporate relay).
    ['ws://127.0.0.1:4567/v3/ws', 'http://127.0.0.1:4567', 'custom'],
    ['wss://relay.example.com:8443/custom/path', 'https://relay.example.com:8443', 'custom'],
    ['wss://assemblyai.com.evil.example/v3/ws', 'https://assemblyai.com.evil.example', 'custom'],
  ])('%s -> %s (%s)', (endpoint, base, region) => {
    expect(gatewayLocation(endpoint)).toEqual({ base, region });
  });
});
