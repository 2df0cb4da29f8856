import * as vscode from 'vscode';
import { lineCount, toolOf } from '../../core/queue';
import type { QueueBlock, QueueFile } from '../../core/queue';
import { ORIGIN_LABELS } from '../../core/origin';
import { relativeTime } from '../../core/render';

/** A node of the AI Provenance view. Block nodes carry `uri`, `line`, `toLine`: the review commands take them as their target. */
export type QueueNode =
  | { readonly type: 'section'; readonly id: 'uncommitted' | 'branch'; readonly label: string; readonly empty: string }
  | { readonly type: 'file'; readonly section: string; readonly file: QueueFile }
  | { readonly type: 'block'; readonly section: string; readonly block: QueueBlock; readonly uri: string; readonly line: number; readonly toLine: number }
  | { readonly type: 'message'; readonly text: string };

export function blockNode(section: string, block: QueueBlock): QueueNode {
  return { type: 'block', section, block, uri: block.file, line: block.from, toLine: block.to };
}

/** "Lines 3–5" (1-based). */
export function lineSpan(b: { readonly from: number; readonly to: number }): string {
  return b.from === b.to ? `Line ${b.from + 1}` : `Lines ${b.from + 1}–${b.to + 1}`;
}

function kindLabel(b: QueueBlock): string {
  const origin = ORIGIN_LABELS[b.ev.origin];
  return b.kind === 'mixed' ? `mixed, ${origin}` : origin;
}

/** The range that selects a block's lines whole. */
export function blockRange(doc: vscode.TextDocument, b: { readonly from: number; readonly to: number }): vscode.Range {
  const to = Math.min(b.to, doc.lineCount - 1);
  return new vscode.Range(b.from, 0, to, doc.lineAt(to).text.length);
}

function blockItem(node: Extract<QueueNode, { type: 'block' }>, extensionUri: vscode.Uri): vscode.TreeItem {
  const b = node.block;
  const item = new vscode.TreeItem(lineSpan(b), vscode.TreeItemCollapsibleState.None);
  const review = b.reviewed && b.ev.reviewed ? `reviewed by ${b.ev.reviewed.by}` : 'not reviewed';
  item.description = `${kindLabel(b)} · ${toolOf(b.ev)} · ${review}`;
  const tip = new vscode.MarkdownString(undefined, false);
  const when = b.ev.at ? `, ${relativeTime(b.ev.at)}` : '';
  tip.appendText(`${lineSpan(b)} (${lineCount(b)} line${lineCount(b) === 1 ? '' : 's'}): ${kindLabel(b)}, tool ${toolOf(b.ev)}${when}. `);
  const reviewedAt = b.ev.reviewed?.at ? ` ${relativeTime(b.ev.reviewed.at)}` : '';
  tip.appendText(b.reviewed && b.ev.reviewed ? `Reviewed by ${b.ev.reviewed.by}${reviewedAt}.` : 'Not reviewed yet.');
  item.tooltip = tip;
  item.id = `${node.section}:${b.file}:${b.from}`;
  // Committed blocks are signed off in their commits' records; uncommitted ones in the live model.
  const where = node.section === 'branch' ? 'committed' : 'block';
  item.contextValue = `provenance.${where}.${b.reviewed ? 'reviewed' : 'unreviewed'}`;
  const icon = (theme: 'light' | 'dark'): vscode.Uri => vscode.Uri.joinPath(extensionUri, 'media', `${b.kind}-${theme}.svg`);
  item.iconPath = { light: icon('light'), dark: icon('dark') };
  item.command = { command: 'provenance.openBlock', title: 'Open the Lines', arguments: [node] };
  item.accessibilityInformation = { label: `${lineSpan(b)}, ${item.description}` };
  return item;
}

/** The tree item of a node. */
export function queueItem(node: QueueNode, extensionUri: vscode.Uri): vscode.TreeItem {
  switch (node.type) {
    case 'section': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `section:${node.id}`;
      item.contextValue = `provenance.section.${node.id}`;
      return item;
    }
    case 'file': {
      const uri = vscode.Uri.parse(node.file.key);
      const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `${node.section}:${node.file.key}`;
      item.label = node.file.label;
      item.description = node.file.unreviewedLines ? `${node.file.unreviewedLines} unreviewed` : 'all reviewed';
      item.contextValue = 'provenance.file';
      return item;
    }
    case 'block':
      return blockItem(node, extensionUri);
    case 'message':
      return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  }
}
