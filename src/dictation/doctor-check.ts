/**
 * doctor's typing line (issue 21): the backend `dictate` would use here, and whether it works. Only dictate
 * needs one, so a machine without a desktop or a typing tool is "skipped", not a problem; a tool that is
 * there but cannot reach the desktop (xdotool without an X server it may use) is a problem.
 */
import type { DoctorCheck } from '../core/doctor-report.js';
import type { Exec } from '../system/exec.js';
import * as say from '../render/dictation-messages.js';
import { chooseBackend, type Has } from './detect.js';

/** A harmless command that fails when the tool cannot reach the desktop; undefined: presence is all we can check. */
const PROBES: Readonly<Record<string, readonly string[]>> = {
  xdotool: ['getmouselocation'],
};

export async function checkTyping(deps: {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  exec: Exec;
  has: Has;
}): Promise<DoctorCheck> {
  const row = (status: DoctorCheck['status'], detail: string, fix?: string): DoctorCheck => ({
    id: 'typing',
    name: 'typing',
    status,
    detail,
    ...(fix === undefined ? {} : { fix }),
  });
  const chosen = chooseBackend(deps.env, deps.platform, deps.has);
  if (!chosen.ok) {
    const install = chosen.install === undefined ? '' : ` (${say.formatInstallLine(chosen.install, undefined)})`;
    return row('skipped', `${say.formatDoctorTyping(chosen.session, undefined)}; only dictate needs it${install}`);
  }
  const name = chosen.backend.name;
  const probe = PROBES[name];
  if (probe === undefined || chosen.backend.tool === undefined) return row('ok', say.formatDoctorTyping(chosen.session, name));
  const r = await deps.exec(chosen.backend.tool, probe, { env: deps.env, timeoutMs: 5000, platform: deps.platform });
  if (r.code === 0) return row('ok', `${say.formatDoctorTyping(chosen.session, name)} (it reached the display)`);
  return row('problem', `${name} cannot reach the desktop: ${r.errorMessage ?? 'it failed'}`, say.formatTypingProbeFix(name));
}
