import { z } from 'zod';

/**
 * Building blocks for the settings schemas of the model modules. A setting arrives from the form as text
 * ("2.5", "on", "") or from stored parameters already typed; either way it leaves as the type the provider
 * documents. An empty value means "not set": the field is left out and the provider's default applies.
 */

const blankToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/** A number setting within the documented bounds (`integer` for integer fields). */
export function numberSetting(label: string, min: number, max: number, integer = false) {
  const message = `${label} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.`;
  return z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      if (typeof v === 'string') return /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
      return v;
    },
    (integer ? z.number({ error: message }).int({ message }) : z.number({ error: message }))
      .min(min, { message })
      .max(max, { message })
      .optional(),
  );
}

/** A documented enum; the message names the setting. */
export function enumSetting<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.preprocess(blankToUndefined, z.enum(values, { error: `Choose one of the listed values for ${label}.` }).optional());
}

/** A checkbox: the form sends "on" (checked) or nothing; stored parameters hold booleans. */
export function booleanSetting(label: string) {
  return z.preprocess(
    (value) => {
      if (value === 'on' || value === 'true') return true;
      if (value === 'false') return false;
      return blankToUndefined(value);
    },
    z.boolean({ error: `${label} is on or off.` }).optional(),
  );
}

/** One documented colour: uppercase hex and a weight from 0.05 to 1. */
export const colorSchema = z.strictObject({
  color: z.string().regex(/^#[0-9A-F]{6}$/, { message: 'Colours are written #RRGGBB.' }),
  weight: z.number().min(0.05, { message: 'A colour weight is from 0.05 to 1.' }).max(1, { message: 'A colour weight is from 0.05 to 1.' }),
});

/** The documented colour list: 1 to 5 entries. */
export const colorsSchema = z.array(colorSchema).min(1).max(5, { message: 'At most 5 colours.' });

export const DEFAULT_COLOR_WEIGHT = 0.5;

/**
 * Colours as a person writes them: "#ff8800 0.5, #0044CC" (weight optional, 0.5 when left out; hex is
 * uppercased, as the provider accepts only uppercase). Stored parameters already hold the list.
 */
export function colorsSetting(label: string) {
  return z.preprocess((value) => {
    const v = blankToUndefined(value);
    if (typeof v !== 'string') return v;
    if (v.trim() === '') return undefined;
    return v.split(',').map((entry) => {
      const [color = '', weight] = entry.trim().split(/\s+/);
      return { color: color.toUpperCase(), weight: weight === undefined ? DEFAULT_COLOR_WEIGHT : Number(weight) };
    });
  }, colorsSchema.optional().describe(label));
}

/** Colours back to the text the form shows. */
export function colorsText(colors: unknown): string {
  const parsed = colorsSchema.safeParse(colors);
  return parsed.success ? parsed.data.map((c) => `${c.color} ${c.weight}`).join(', ') : '';
}

/** Drops the settings that are not set, so the body carries only what a person chose. */
export function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** definedOnly, or undefined when nothing is left: an empty `styling` or `effects` object is not sent at all. */
export function definedObject(values: Record<string, unknown>): Record<string, unknown> | undefined {
  const defined = definedOnly(values);
  return Object.keys(defined).length > 0 ? defined : undefined;
}

/**
 * The options of a select field: the documented value, and a label for people ("golden-hour" → "Golden hour",
 * "orange&teal" → "Orange & teal") unless `labels` names a better one ("b&w" → "Black & white").
 */
export function optionsOf(values: readonly string[], labels: Record<string, string> = {}) {
  return values.map((value) => ({ value, label: labels[value] ?? humanize(value) }));
}

function humanize(value: string): string {
  const words = value.replace(/&/g, ' & ').replace(/[-_]/g, ' ').replace(/\s+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
