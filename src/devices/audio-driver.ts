/** Which SoX audio driver records from a device name (pure): the one rule for capture, listing and doctor. */

/** ALSA names look like hw:1,0 / plughw:CARD=x / default / sysdefault:...; anything else is a PulseAudio source. */
export function audioDriverFor(device: string, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'coreaudio';
  if (/^(hw|plughw|default|sysdefault|front|dsnoop|dmix)(:|$)/.test(device)) return 'alsa';
  return 'pulseaudio';
}
