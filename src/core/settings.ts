/**
 * The extension's settings: names, defaults and descriptions in one place.
 * `package.json` contributes the same keys; a unit test keeps the two in step.
 */
export interface Settings {
  /** Whether AI lines get gutter icons and overview-ruler marks. */
  readonly gutterEnabled: boolean;
  /** Which classes of line get a mark. */
  readonly gutterClasses: readonly string[];
  /** How marks look: gutter icons, a faint line background, or both (always with overview-ruler marks). */
  readonly gutterStyle: 'gutter' | 'background' | 'both';
  /** Whether the commit hook writes the trailer at all. */
  readonly trailerEnabled: boolean;
  /** Whether a commit with no AI text still gets a trailer saying `ai=0`. */
  readonly trailerWhenNoAi: boolean;
  /** What text pasted from outside the editor (no copy stamp) counts as. */
  readonly externalPaste: 'ai' | 'unknown';
  /** Use VS Code's own edit-source labels (proposed `detailedReason`) when the editor provides them. */
  readonly useEditSourceApi: boolean;
  /** Whether to offer (`ask`), install without asking (`always`) or never install the commit hook. */
  readonly commitHook: 'ask' | 'always' | 'never';
  /** Whether the commit hook comes with the pre-push hook that pushes the records: ask when installing, always, never. */
  readonly notesPush: 'ask' | 'always' | 'never';
  /** Whether Toggle AI History's cache is computed in the background for the active file while the window is idle. */
  readonly historyWarm: boolean;
}

export interface SettingSpec {
  readonly key: string;
  readonly field: keyof Settings;
  readonly default: boolean | string | readonly string[];
  /** Allowed values; for an array setting, allowed items. */
  readonly enum?: readonly string[];
  /**
   * Changes what the commit hook writes (or what it counts): `restricted` in
   * `package.json`, so a cloned repository's `.vscode/settings.json` cannot
   * switch it in a workspace that is not trusted.
   */
  readonly restricted?: true;
}

export const SETTINGS_SECTION = 'provenance';

export const SETTING_SPECS: readonly SettingSpec[] = [
  { key: 'gutter.enabled', field: 'gutterEnabled', default: true },
  { key: 'gutter.classes', field: 'gutterClasses', default: ['ai', 'mixed', 'reviewed', 'external'], enum: ['ai', 'mixed', 'reviewed', 'external', 'unknown'] },
  { key: 'gutter.style', field: 'gutterStyle', default: 'gutter', enum: ['gutter', 'background', 'both'] },
  { key: 'trailer.enabled', field: 'trailerEnabled', default: true, restricted: true },
  { key: 'trailer.whenNoAi', field: 'trailerWhenNoAi', default: true, restricted: true },
  { key: 'externalPaste', field: 'externalPaste', default: 'ai', enum: ['ai', 'unknown'], restricted: true },
  { key: 'useEditSourceApi', field: 'useEditSourceApi', default: true },
  { key: 'commitHook', field: 'commitHook', default: 'ask', enum: ['ask', 'always', 'never'], restricted: true },
  { key: 'notes.push', field: 'notesPush', default: 'ask', enum: ['ask', 'always', 'never'], restricted: true },
  { key: 'history.warm', field: 'historyWarm', default: true },
];

/** Builds typed settings from a lookup, falling back to defaults for missing or ill-typed values. */
export function readSettings(get: (key: string) => unknown): Settings {
  const out: Record<string, unknown> = {};
  for (const spec of SETTING_SPECS) {
    const v = get(spec.key);
    let ok: boolean;
    if (Array.isArray(spec.default)) {
      ok = Array.isArray(v) && v.every((x) => typeof x === 'string' && (!spec.enum || spec.enum.includes(x)));
    } else {
      ok = typeof v === typeof spec.default && (!spec.enum || spec.enum.includes(v as string));
    }
    out[spec.field] = ok ? v : spec.default;
  }
  return out as unknown as Settings;
}
