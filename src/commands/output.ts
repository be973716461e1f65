/** Output wiring shared by write commands (render/ never talks to the App: docs/architecture.md). */
import type { App } from '../app.js';
import type { CrmRecord } from '../core/types.js';
import { recordJson } from '../render/records.js';

/** After a write: the JSON record with --json, else a one-line message naming the file. */
export function printCreated(app: App, rec: CrmRecord, message: string): void {
  if (app.format(['text', 'json'], 'text') === 'json') {
    app.out(JSON.stringify(recordJson(rec), null, 2));
    return;
  }
  app.say(`${message} (${rec.path})`);
}
