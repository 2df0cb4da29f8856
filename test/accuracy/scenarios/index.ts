// The corpus's scenarios, in the order they run (one code-server, one repository).
import { agentNewFile, chatHidden, chatVisible } from './chat';
import { completionFull, completionPartial } from './completions';
import { dragMove } from './dragMove';
import { externalWrite } from './externalWrite';
import { findSuggest } from './findSuggest';
import { ideFormat, ideRenameOrganize, ideSuggestSnippet } from './ide';
import { copyPasteTyped, lineCommands, quickFixMouse, replaceAll } from './lineCommands';
import { lineCommandsMore } from './lineCommandsMore';
import { pasteExternal } from './pasteExternal';
import { pasteInternal } from './pasteInternal';
import { refactorMouse } from './refactorMouse';
import type { Scenario } from './scenario';
import { typed } from './typed';
import { undoRedo } from './undoRedo';

export type { Scenario } from './scenario';

export const SCENARIOS: Scenario[] = [
  typed, completionFull, completionPartial, pasteExternal, pasteInternal, chatVisible, chatHidden, agentNewFile,
  ideSuggestSnippet, ideFormat, ideRenameOrganize, undoRedo, externalWrite, lineCommands, lineCommandsMore, replaceAll, copyPasteTyped, quickFixMouse,
  findSuggest, refactorMouse, dragMove,
];
