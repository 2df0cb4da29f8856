import * as vscode from 'vscode';
import { projectLines } from '../core/lines';
import { ORIGIN_LABELS } from '../core/origin';
import type { Evidence } from '../core/origin';
import type { ProvenanceTracker } from '../capture/tracker';

/** Says, for a line with AI or unknown text, what produced it, how sure we are and why. */
export class ProvenanceHover implements vscode.HoverProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly tracker: ProvenanceTracker) {
    this.disposables.push(vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], this));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const model = this.tracker.get(doc);
    if (!model) return undefined;
    const line = doc.lineAt(pos.line);
    const start = doc.offsetAt(line.range.start);
    const runs = model.slice(start, line.text.length);
    const info = projectLines(line.text, runs)[0];
    if (!info || info.cls === 'human') return undefined;
    const md = new vscode.MarkdownString();
    const cls = { ai: 'AI-written line', mixed: 'Line mixing AI and human text', unknown: 'Line of unknown origin' }[info.cls];
    md.appendMarkdown(`**AI Provenance** · ${cls}\n\n`);
    md.appendMarkdown(describe(info.ev));
    const here = model.runAt(doc.offsetAt(pos))?.ev;
    if (here && here !== info.ev && pos.character < line.text.length) md.appendMarkdown(`\n\nAt the cursor: ${describe(here)}`);
    return new vscode.Hover(md, line.range);
  }
}

function describe(ev: Evidence): string {
  const tool = ev.tool ? ` by \`${ev.tool}\`` : '';
  return `${ORIGIN_LABELS[ev.origin]}${tool} — confidence: **${ev.confidence}** — ${ev.detail} (${relativeTime(ev.at)})`;
}

export function relativeTime(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} h ago`;
  return new Date(at).toISOString().slice(0, 10);
}
