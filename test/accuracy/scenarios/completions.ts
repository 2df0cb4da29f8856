import type { Scenario } from './scenario';

export const completionFull: Scenario = {
  name: 'completion-full', channel: 'ai-completion',
  about: 'full accepts (Tab) of multi-line inline completions in Python and Rust',
  async run(c) {
    await c.open('completion/shapes.py');
    for (const n of ['py_area', 'py_mean', 'py_stats']) await c.complete('completion/shapes.py', n);
    await c.open('completion/lib.rs');
    for (const n of ['rs_sum', 'rs_max']) await c.complete('completion/lib.rs', n);
    await c.open('completion/guide.md');
    await c.complete('completion/guide.md', 'md_section');
  },
};

export const completionPartial: Scenario = {
  name: 'completion-partial', channel: 'ai-completion',
  about: 'accept next word (Ctrl+Right) and next line (a key bound to the recorded line accept) of inline completions in JS, then typing on',
  async run(c) {
    const f = 'partial/util.js';
    await c.open(f);
    await c.showCompletion(f, 'js_words');
    for (let i = 0; i < 6; i++) await c.press(f, 'Control+ArrowRight', 'accept next word');
    await c.page.keyboard.press('Escape');
    await c.type(f, ' // my note');
    await c.showCompletion(f, 'js_lines');
    for (let i = 0; i < 7; i++) await c.press(f, 'Control+Alt+End', 'accept next line');
    await c.page.keyboard.press('Escape');
    await c.showCompletion(f, 'js_mix');
    await c.press(f, 'Control+Alt+End', 'accept next line');
    for (let i = 0; i < 3; i++) await c.press(f, 'Control+ArrowRight', 'accept next word');
    await c.page.keyboard.press('Escape');
    await c.type(f, 'MyOwnEnding();');
  },
};
