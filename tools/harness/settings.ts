// User settings and keybindings of the profiles code-server runs with.

export type Settings = Record<string, unknown>;
export interface Keybinding { key: string; command: string; when?: string }

/**
 * Only what a headless run needs, every editor setting at VS Code's default:
 * nothing phones home, nothing opens by itself, no Chat view takes focus
 * (it took keyboard focus once), no workspace-trust prompt.
 */
export const HEADLESS_SETTINGS: Settings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true, // recommendations query the gallery
  'workbench.enableExperiments': false, // experiments are fetched from the network
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  // VS Code's own Chat needs a sign-in and the network; its view only takes focus here
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * The e2e profile: headless, plus deterministic typing (no suggest widget,
 * no auto-closing, no format or auto-indent on paste) so that the text on
 * disk is exactly what was typed or pasted.
 */
export const TEST_SETTINGS: Settings = {
  ...HEADLESS_SETTINGS,
  // Enter never accepts a suggestion: no suggest widget at all
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.parameterHints.enabled': false,
  'editor.hover.delay': 300,
  // inline completions on (the fixture's fake AI)
  'editor.inlineSuggest.enabled': true,
  // the text on disk is exactly what was typed/pasted
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingComments': 'never',
  'editor.autoSurround': 'never',
  'editor.formatOnPaste': false,
  'editor.formatOnType': false,
  'editor.formatOnSave': false,
  'editor.autoIndentOnPaste': false,
  'editor.codeActionsOnSave': {},
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'files.hotExit': 'off',
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  'files.trimFinalNewlines': false,
  'files.eol': '\n',
  // git stays on (the extension reads it), but quiet
  'git.enabled': true,
  'git.showProgress': false,
};

/**
 * User keybindings of every harness profile. VS Code 1.139 has no default key
 * for editor.action.inlineSuggest.trigger any more (Alt+\ did nothing): bind it.
 */
export const DEFAULT_KEYBINDINGS: Keybinding[] = [
  { key: 'alt+\\', command: 'editor.action.inlineSuggest.trigger', when: 'editorTextFocus && !editorReadonly' },
];
