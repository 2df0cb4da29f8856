import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings, SETTING_SPECS, SETTINGS_SECTION } from '../../src/core/settings';

interface Manifest {
  contributes: {
    configuration: { properties: Record<string, { default: unknown; description?: string; markdownDescription?: string; enum?: string[]; items?: { enum?: string[] }; restricted?: boolean }> };
    commands: Array<{ command: string; title: string; category?: string }>;
    keybindings: Array<{ command: string }>;
    colors: Array<{ id: string }>;
  };
  activationEvents: string[];
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('package.json and the code agree', () => {
  const props = manifest.contributes.configuration.properties;

  it('contributes exactly the settings the code reads, with the same defaults and descriptions', () => {
    assert.deepEqual(Object.keys(props).sort(), SETTING_SPECS.map((s) => `${SETTINGS_SECTION}.${s.key}`).sort());
    for (const spec of SETTING_SPECS) {
      const p = props[`${SETTINGS_SECTION}.${spec.key}`];
      assert.deepEqual(p.default, spec.default, spec.key);
      assert.ok((p.description ?? p.markdownDescription ?? '').length > 20, `${spec.key} has a description`);
      assert.deepEqual(Array.isArray(spec.default) ? p.items?.enum : p.enum, spec.enum, `${spec.key} enum`);
    }
  });

  it('restricts every setting that changes what the commit hook writes, so a workspace cannot switch it unseen', () => {
    const restricted = Object.entries(props).filter(([, p]) => p.restricted === true).map(([k]) => k).sort();
    assert.deepEqual(restricted, SETTING_SPECS.filter((s) => s.restricted).map((s) => `${SETTINGS_SECTION}.${s.key}`).sort());
    for (const key of ['trailer.enabled', 'trailer.whenNoAi', 'commitHook', 'externalPaste']) assert.ok(restricted.includes(`${SETTINGS_SECTION}.${key}`), key);
  });

  it('reads array settings item by item, rejecting unknown items', () => {
    assert.deepEqual(readSettings((k) => (k === 'gutter.classes' ? ['ai', 'unknown'] : undefined)).gutterClasses, ['ai', 'unknown']);
    assert.deepEqual(readSettings((k) => (k === 'gutter.classes' ? ['ai', 'bogus'] : undefined)).gutterClasses, ['ai', 'mixed', 'reviewed', 'external']);
  });

  it('falls back to defaults for missing or ill-typed values', () => {
    const s = readSettings((k) => ({ externalPaste: 'bogus', 'gutter.enabled': 'yes' })[k]);
    assert.equal(s.externalPaste, 'ai');
    assert.equal(s.gutterEnabled, true);
    assert.equal(readSettings((k) => (k === 'externalPaste' ? 'unknown' : undefined)).externalPaste, 'unknown');
  });

  it('puts every command under the AI Provenance category and provenance. prefix', () => {
    for (const c of manifest.contributes.commands) {
      assert.match(c.command, /^provenance\./);
      assert.equal(c.category, 'AI Provenance');
    }
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const k of manifest.contributes.keybindings) assert.ok(ids.has(k.command), k.command);
  });

  it('activates on startup finished, never on *', () => {
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
  });
});
