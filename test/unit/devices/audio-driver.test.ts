import { describe, expect, it } from 'vitest';
import { audioDriverFor } from '../../../src/devices/audio-driver.js';

describe('audioDriverFor', () => {
  it('tells ALSA names from PulseAudio sources', () => {
    expect(audioDriverFor('default', 'linux')).toBe('alsa');
    expect(audioDriverFor('plughw:CARD=PCH,DEV=0', 'linux')).toBe('alsa');
    expect(audioDriverFor('alsa_input.pci-0000_00_1f.3.analog-stereo', 'linux')).toBe('pulseaudio');
    expect(audioDriverFor('MacBook Pro Microphone', 'darwin')).toBe('coreaudio');
  });
});
