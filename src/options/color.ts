/**
 * THE decision of a stream's colour, the same for a run and for every command (cli.ts calls it for both;
 * nothing else decides). A stream gets no colour when the settings turn it off (--no-color, `color = false` in
 * the config file or a profile, a non-empty NO_COLOR, https://no-color.org), NO_COLOR winning over FORCE_COLOR;
 * otherwise the level the stream supports, as the process edge detected it (src/main.ts asks chalk, whose
 * rules read the stream's TTY, TERM and FORCE_COLOR: https://github.com/chalk/supports-color). Pure.
 */
import { readEnvironment } from './environment.js';
import type { Env } from './raw-options.js';

/** 0 = no colour, 1 = 16 colours, 2 = 256, 3 = true colour (chalk's levels). */
export type ColorLevel = 0 | 1 | 2 | 3;

/** A level for each of the two streams (the fields of RunIO that carry them). */
export interface StreamColors {
  stdoutColorLevel: ColorLevel;
  stderrColorLevel: ColorLevel;
}

/** The colour switch of the settings: false is --no-color (flag, file, profile); NO_COLOR is read from `env`. */
export interface ColorSetting {
  readonly color?: boolean | undefined;
}

/** --no-color (flag, file, profile), or a non-empty NO_COLOR (https://no-color.org; chalk itself does not read it). */
export function colorDisabled(settings: ColorSetting, env: Env): boolean {
  return settings.color === false || readEnvironment(env).color === false;
}

/** The level of each stream, from what it supports (the edge's detection), the settings and the environment. */
export function streamColors(supported: StreamColors, settings: ColorSetting, env: Env): StreamColors {
  const off = colorDisabled(settings, env);
  return {
    stdoutColorLevel: off ? 0 : supported.stdoutColorLevel,
    stderrColorLevel: off ? 0 : supported.stderrColorLevel,
  };
}
