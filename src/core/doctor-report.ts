/**
 * What `doctor` finds, as data: one check per thing live-transcribe needs, and the report of them all.
 * doctor.ts produces it; render/doctor-messages.ts turns it into the lines the user reads.
 */
export type CheckStatus = 'ok' | 'problem' | 'skipped';
export type CheckId = 'node' | 'sox' | 'microphone' | 'proxy' | 'dns' | 'connection' | 'api-key' | 'typing' | 'captions';

export interface DoctorCheck {
  id: CheckId;
  /** Short label: "Node.js", "SoX", "microphone"... */
  name: string;
  status: CheckStatus;
  /** What was found (never a secret). */
  detail: string;
  /** How to fix a problem; may span lines. */
  fix?: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** True when no check is a problem (skipped checks do not fail the report). */
  ok: boolean;
}
