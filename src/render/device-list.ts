/** The --list-devices output (pure): the devices by driver, in the names --device accepts, or as JSON. */
import type { AudioDevice, DeviceDriver, DeviceListing } from '../devices/list-devices.js';
import { displayWidth, sanitize, shellQuote } from '../core/text.js';

/** A chalk-like theme (a ChalkInstance fits; level 0 means no colour). */
export interface DeviceListTheme {
  bold(text: string): string;
  dim(text: string): string;
  yellow(text: string): string;
}

const DRIVER_TITLES: Record<DeviceDriver, string> = {
  pulseaudio: 'PulseAudio / PipeWire sources',
  alsa: 'ALSA devices',
  coreaudio: 'Core Audio input devices',
  waveaudio: 'Windows recording devices',
};

/**
 * The human-readable --list-devices output: one section per driver, the names to copy into --device
 * on the left, "*" on the default, monitors and loopback devices marked ("monitor of <sink>",
 * "loopback"). Ends with the problems met, if any, a usage line and one for --system-audio.
 */
export function formatDeviceList(listing: DeviceListing, theme: DeviceListTheme): string {
  const lines: string[] = [];
  const devices = listing.devices;
  const nameWidth = Math.min(60, Math.max(0, ...devices.map((d) => displayWidth(sanitize(d.name)))));
  for (const driver of Object.keys(DRIVER_TITLES) as DeviceDriver[]) {
    const group = devices.filter((d) => d.driver === driver);
    if (group.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(theme.bold(`${DRIVER_TITLES[driver]}:`));
    for (const d of group) {
      const name = sanitize(d.name);
      const pad = ' '.repeat(Math.max(0, nameWidth - displayWidth(name)));
      const notes: string[] = [];
      if (d.isDefault === true) notes.push('default');
      if (d.isMonitor === true) notes.push(monitorNote(d));
      if (d.isMuted === true) notes.push(theme.yellow('muted'));
      const description = sanitize(d.description) === name ? '' : sanitize(d.description);
      const tail = [description, notes.length > 0 ? theme.dim(`(${notes.join(', ')})`) : ''].filter((s) => s !== '').join(' ');
      lines.push(`${d.isDefault === true ? '* ' : '  '}${name}${tail === '' ? '' : `${pad}  ${tail}`}`);
    }
  }
  if (devices.length === 0) lines.push('No capture devices found.');
  if (devices.some((d) => d.driver === 'alsa') && devices.some((d) => d.driver === 'pulseaudio')) {
    lines.push('', theme.dim('ALSA devices are usually busy while PulseAudio/PipeWire runs: prefer its sources.'));
  }
  if (listing.problems.length > 0) {
    lines.push('', ...listing.problems.map((p) => theme.dim(`note: ${sanitize(p)}`)));
  }
  const example = devices.find((d) => d.isDefault !== true && d.isMonitor !== true) ?? devices[0];
  if (example !== undefined) lines.push('', `Use one with: live-transcribe --device ${shellQuote(example.name)}`);
  if (devices.length > 0) lines.push(systemAudioFooter(listing));
  return `${lines.join('\n')}\n`;
}

/** How a device that records an output is marked: the sink a monitor records, or "loopback". */
function monitorNote(d: AudioDevice): string {
  if (d.monitorOf !== undefined) return `monitor of ${sanitize(d.monitorOf)}`;
  return d.driver === 'pulseaudio' ? 'monitor' : 'loopback';
}

/** The last line: --system-audio adds what this computer plays (monitors and loopback devices record it). */
function systemAudioFooter(listing: DeviceListing): string {
  const monitors = listing.devices.filter((d) => d.isMonitor === true);
  const head = 'To add what this computer plays: live-transcribe --system-audio';
  if (monitors.length > 0) return `${head} (monitors and loopback devices record it; --system-device NAME picks one)`;
  return listing.platform === 'darwin' || listing.platform === 'win32' ? `${head} (it needs a loopback device, and says how to set one up)` : head;
}

/** --list-devices --json: the devices as one JSON document (stable field names, for scripts). */
export function formatDeviceListJson(listing: DeviceListing): string {
  return `${JSON.stringify({ platform: listing.platform, devices: listing.devices, problems: listing.problems }, null, 2)}\n`;
}
