import * as vscode from 'vscode';
import { readSettings, SETTINGS_SECTION } from '../core/settings';
import type { Settings } from '../core/settings';

/** A change to one of the settings the extension reads. */
export interface ConfigChange {
  readonly settings: Settings;
  /** Whether the change touches a section (`provenance.trailer`, `editor.glyphMargin`). */
  affects(section: string): boolean;
}

/**
 * The one place that reads and writes settings and listens for their
 * changes: ours (`provenance.*`) and the editor's own that shape what we draw
 * (`editor.glyphMargin`).
 */
export class Config implements vscode.Disposable {
  private current: Settings;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<ConfigChange>();
  readonly onDidChange = this.changed.event;

  constructor() {
    this.current = Config.read();
    this.disposables.push(this.changed);
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        const ours = e.affectsConfiguration(SETTINGS_SECTION);
        if (!ours && !e.affectsConfiguration('editor.glyphMargin')) return;
        if (ours) this.current = Config.read();
        this.changed.fire({ settings: this.current, affects: (section) => e.affectsConfiguration(section) });
      },
      this,
      this.disposables,
    );
  }

  get settings(): Settings {
    return this.current;
  }

  /** Whether editors have a glyph margin (VS Code's `editor.glyphMargin`) for gutter icons. */
  get glyphMargin(): boolean {
    return vscode.workspace.getConfiguration('editor').get<boolean>('glyphMargin', true);
  }

  /** Changes one of our settings for the user (`key` without the `provenance.` prefix). */
  async update(key: string, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private static read(): Settings {
    const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return readSettings((key) => cfg.get(key));
  }
}
