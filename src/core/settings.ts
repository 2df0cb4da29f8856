/**
 * The extension's settings: names, defaults and descriptions in one place.
 * `package.json` contributes the same keys; a unit test keeps the two in step.
 */
export interface Settings {
  /** Whether AI lines get gutter icons and overview-ruler marks. */
  readonly gutterEnabled: boolean;
  /** What text pasted from outside the editor (no copy stamp) counts as. */
  readonly externalPaste: 'ai' | 'unknown';
  /** Use VS Code's own edit-source labels (proposed `detailedReason`) when the editor provides them. */
  readonly useEditSourceApi: boolean;
  /** Whether to offer (`ask`), install without asking (`always`) or never install the commit hook. */
  readonly commitHook: 'ask' | 'always' | 'never';
}

export interface SettingSpec {
  readonly key: string;
  readonly field: keyof Settings;
  readonly default: boolean | string;
  readonly enum?: readonly string[];
}

export const SETTINGS_SECTION = 'provenance';

export const SETTING_SPECS: readonly SettingSpec[] = [
  { key: 'gutter.enabled', field: 'gutterEnabled', default: true },
  { key: 'externalPaste', field: 'externalPaste', default: 'ai', enum: ['ai', 'unknown'] },
  { key: 'useEditSourceApi', field: 'useEditSourceApi', default: true },
  { key: 'commitHook', field: 'commitHook', default: 'ask', enum: ['ask', 'always', 'never'] },
];

/** Builds typed settings from a lookup, falling back to defaults for missing or ill-typed values. */
export function readSettings(get: (key: string) => unknown): Settings {
  const out: Record<string, unknown> = {};
  for (const spec of SETTING_SPECS) {
    const v = get(spec.key);
    const ok = typeof v === typeof spec.default && (!spec.enum || spec.enum.includes(v as string));
    out[spec.field] = ok ? v : spec.default;
  }
  return out as unknown as Settings;
}
