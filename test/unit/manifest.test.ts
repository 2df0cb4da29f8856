import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Manifest {
  icon: string;
  contributes: {
    commands: Array<{ command: string }>;
    menus: Record<string, Array<{ command: string }>>;
    views: Record<string, Array<{ id: string }>>;
    walkthroughs: Array<{ steps: Array<{ id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }> }>;
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const ids = new Set(manifest.contributes.commands.map((c) => c.command));

describe('package.json: the workbench contributions hold together', () => {
  it('every menu entry names a contributed command', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) for (const e of entries) assert.ok(ids.has(e.command), `${menu}: ${e.command}`);
  });

  it('every walkthrough step links to commands that exist, has its page in media/, and completes on one of them', () => {
    const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
    assert.deepEqual(steps.map((s) => s.id), ['marks', 'hook', 'agents', 'review', 'record']);
    const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
    for (const s of steps) {
      const links = [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(links.length > 0, `${s.id} has a command`);
      for (const l of links) assert.ok(ids.has(l), `${s.id}: ${l}`);
      assert.ok(s.media.markdown && existsSync(join(ROOT, s.media.markdown)), `${s.id}: ${s.media.markdown}`);
      for (const ev of s.completionEvents ?? []) {
        const [kind, arg] = ev.split(':');
        assert.ok(kind === 'onCommand' ? ids.has(arg) : views.has(arg), `${s.id}: ${ev}`);
      }
    }
  });

  it('ships a 128×128 PNG icon that the allowlist includes', () => {
    const png = readFileSync(join(ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(manifest.icon.startsWith('media/'));
    assert.ok(readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').includes('!media/**'));
  });
});
