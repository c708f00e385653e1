import { z } from 'zod';
import { colorsSchema, colorsSetting, definedObject, enumSetting, optionsOf } from './settings';
import type { SettingField } from './types';

/**
 * The `styling` object of Flux Dev and HyperFlux (identical on both endpoints, freepik-models.md §1 and §5):
 * three effect enums and up to 5 colours. The body keeps the docs' spelling `lightning`; people read "Lighting".
 */

export const FLUX_COLOR_EFFECTS = ['softhue', 'b&w', 'goldglow', 'vibrant', 'coldneon'] as const;
export const FLUX_FRAMINGS = ['portrait', 'lowangle', 'midshot', 'wideshot', 'tiltshot', 'aerial'] as const;
export const FLUX_LIGHTINGS = ['iridescent', 'dramatic', 'goldenhour', 'longexposure', 'indorlight', 'flash', 'neon'] as const;

export const fluxStylingSchema = z.strictObject({
  effects: z
    .strictObject({
      color: z.enum(FLUX_COLOR_EFFECTS).optional(),
      framing: z.enum(FLUX_FRAMINGS).optional(),
      lightning: z.enum(FLUX_LIGHTINGS).optional(),
    })
    .optional(),
  colors: colorsSchema.optional(),
});
type FluxStyling = z.infer<typeof fluxStylingSchema>;

/** Labels for the run-together values the docs use. */
const LABELS: Record<string, string> = {
  softhue: 'Soft hue',
  'b&w': 'Black & white',
  goldglow: 'Gold glow',
  coldneon: 'Cold neon',
  lowangle: 'Low angle',
  midshot: 'Mid shot',
  wideshot: 'Wide shot',
  tiltshot: 'Tilt shot',
  goldenhour: 'Golden hour',
  longexposure: 'Long exposure',
  indorlight: 'Indoor light',
};

export const fluxStylingSettings = {
  effect_color: enumSetting('Colour effect', FLUX_COLOR_EFFECTS),
  effect_framing: enumSetting('Framing', FLUX_FRAMINGS),
  effect_lighting: enumSetting('Lighting', FLUX_LIGHTINGS),
  colors: colorsSetting('Colours'),
};

export const fluxStylingFields: readonly SettingField[] = [
  { kind: 'select', name: 'effect_color', label: 'Colour effect', options: optionsOf(FLUX_COLOR_EFFECTS, LABELS) },
  { kind: 'select', name: 'effect_framing', label: 'Framing', options: optionsOf(FLUX_FRAMINGS, LABELS) },
  { kind: 'select', name: 'effect_lighting', label: 'Lighting', options: optionsOf(FLUX_LIGHTINGS, LABELS) },
  { kind: 'colors', name: 'colors', label: 'Colours', help: 'Up to 5, e.g. "#FF8800 0.5, #0044CC"; weight 0.05–1.' },
];

/** Parsed settings → the `styling` object, or undefined when nothing is set (nothing is sent). */
export function fluxStylingOf(settings: Record<string, unknown>): Record<string, unknown> | undefined {
  const effects = definedObject({ color: settings.effect_color, framing: settings.effect_framing, lightning: settings.effect_lighting });
  return definedObject({ effects, colors: settings.colors });
}

/** A stored `styling` object → the settings it came from. */
export function fluxStylingSettingsOf(styling: FluxStyling | undefined): Record<string, unknown> {
  return {
    effect_color: styling?.effects?.color,
    effect_framing: styling?.effects?.framing,
    effect_lighting: styling?.effects?.lightning,
    colors: styling?.colors,
  };
}
