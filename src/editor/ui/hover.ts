import * as vscode from 'vscode';
import type { ProvenanceTracker } from '../capture/tracker';
import { isAiOrigin } from '../../core/origin';
import { describe, escapeMarkdown, relativeTime } from '../../core/render';
import { PRODUCT_NAME } from '../notify';
import type { LineProjections } from './projections';

const CLASS_TITLE = { ai: 'AI-written line', mixed: 'Line mixing AI and human text', unknown: 'Line of unknown origin' } as const;

/**
 * Says, for a line with AI or unknown text, what produced it, the tool when
 * known, when, how sure we are and why, and how far that text reaches; with
 * actions to mark it as reviewed or as human-written.
 */
export class ProvenanceHover implements vscode.HoverProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly projections: LineProjections,
  ) {
    this.disposables.push(vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], this));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const model = this.tracker.get(doc);
    const infos = this.projections.get(doc);
    if (!model || !infos) return undefined;
    const info = infos.find((i) => i.line === pos.line);
    if (!info || info.cls === 'human') return undefined;
    const line = doc.lineAt(pos.line);
    const md = new vscode.MarkdownString();
    md.supportThemeIcons = true;
    const reviewed = info.reviewed && info.ev.reviewed ? ` · reviewed by ${escapeMarkdown(info.ev.reviewed.by)} ${relativeTime(info.ev.reviewed.at)}` : '';
    md.appendMarkdown(`**${PRODUCT_NAME}** · ${CLASS_TITLE[info.cls]}${reviewed}\n\n`);
    md.appendMarkdown(describe(info.ev));
    // How far the text of this origin reaches: the span under the cursor, or the line's main one.
    const offset = doc.offsetAt(pos.character < line.text.length ? pos : line.range.start);
    let span = model.spanAt(offset);
    if (!span || span.ev !== info.ev) {
      const start = doc.offsetAt(line.range.start);
      for (let k = 0; k < line.text.length; ) {
        const s = model.spanAt(start + k);
        if (!s) break;
        if (s.ev === info.ev) {
          span = s;
          break;
        }
        k = s.start + s.len - start;
      }
    }
    if (span && span.ev) {
      const from = doc.positionAt(span.start).line + 1;
      const to = doc.positionAt(Math.max(span.start, span.start + span.len - 1)).line + 1;
      md.appendMarkdown(`\n\nExtent: ${from === to ? `line ${from}` : `lines ${from}–${to}`} (${span.len} characters from this ${isAiOrigin(span.ev.origin) ? 'AI ' : ''}edit)`);
    }
    const here = model.runAt(doc.offsetAt(pos))?.ev;
    if (here && here !== info.ev && pos.character < line.text.length) md.appendMarkdown(`\n\nAt the cursor: ${describe(here)}`);
    const args = encodeURIComponent(JSON.stringify([{ uri: doc.uri.toString(), line: pos.line }]));
    const actions: string[] = [];
    if ((info.cls === 'ai' || info.cls === 'mixed') && !info.reviewed) actions.push(`[$(check) Mark as Reviewed](command:provenance.markReviewed?${args} "Record that you read this AI text and vouch for it")`);
    actions.push(`[$(person) Mark as Human-Written](command:provenance.markHuman?${args} "Record that you wrote this line")`);
    md.appendMarkdown(`\n\n${actions.join(' · ')}`);
    md.isTrusted = { enabledCommands: ['provenance.markReviewed', 'provenance.markHuman'] };
    return new vscode.Hover(md, line.range);
  }
}
