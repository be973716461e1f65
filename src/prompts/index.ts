/**
 * Inquirer wrappers, loaded only when a command actually prompts. Every prompt has a flag
 * equivalent; commands call these only when App.interactive is true.
 */
export async function askText(message: string, opts: { default?: string; required?: boolean } = {}): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return input({ message, default: opts.default, required: opts.required });
}

export async function askSelect(message: string, choices: string[], def?: string): Promise<string> {
  const { select } = await import('@inquirer/prompts');
  return select({ message, choices: choices.map((c) => ({ value: c, name: c })), default: def });
}

export async function askConfirm(message: string, def = false): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message, default: def });
}

/** The terminal prompter of the add interview (add-interview.ts); notes go to stderr. */
export function terminalPrompter(writeErr: (text: string) => void): import('./add-interview.js').Prompter {
  return {
    text: (message, def) => askText(message, { default: def }),
    select: async (message, choices, def) => {
      const { select } = await import('@inquirer/prompts');
      return select({ message, choices, default: def });
    },
    note: (message) => writeErr(`  ${message}; try again\n`),
  };
}
