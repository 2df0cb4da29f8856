import * as vscode from 'vscode';
import { readSettings, SETTINGS_SECTION } from '../core/settings';
import type { Settings } from '../core/settings';

/** Reads the settings once and again whenever one of ours changes. */
export class Config implements vscode.Disposable {
  private current: Settings;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.changed.event;

  constructor() {
    this.current = Config.read();
    this.disposables.push(this.changed);
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
        this.current = Config.read();
        this.changed.fire(this.current);
      },
      this,
      this.disposables,
    );
  }

  get settings(): Settings {
    return this.current;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private static read(): Settings {
    const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return readSettings((key) => cfg.get(key));
  }
}
