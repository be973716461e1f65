import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('whoami')
    .description('who "me" is (for owner:me, --owner me and the owner of new records), and why')
    .addHelpText('after', `
"me" is TOUCHBASE_USER, else the owner in touchbase.yaml whose email equals git config user.email,
else the OS user name. New records get "owner: <me>" only when me is a configured owner or comes
from TOUCHBASE_USER.

Examples:
  $ tb whoami
  $ TOUCHBASE_USER=ria tb whoami --json
`)
    .action(action(getApp, whoamiCommand));
}

function whoamiCommand(app: App): void {
  const format = app.format(['text', 'json'], 'text');
  const me = app.me();
  const owner = me ? app.config().owners[me.id] : undefined;
  const stamped = app.defaultOwner();
  if (format === 'json') {
    app.out(
      JSON.stringify(
        {
          me: me?.id ?? null,
          source: me?.source ?? null,
          detail: me?.detail ?? null,
          owner: Boolean(owner),
          name: owner?.name ?? null,
          email: owner?.email ?? null,
          new_records_owner: stamped ?? null,
        },
        null,
        2,
      ),
    );
    return;
  }
  if (!me) {
    app.out('me: unknown (no TOUCHBASE_USER, no owner matching git config user.email, no OS user)');
    return;
  }
  const who = owner?.name ? `${me.id} (${owner.name}${owner.email ? ` <${owner.email}>` : ''})` : me.id;
  app.out(`me: ${who}`);
  app.out(`from: ${me.source}: ${me.detail}`);
  if (!owner) {
    app.out(`note: '${me.id}' is not an owner in touchbase.yaml${stamped ? '' : ', so new records get no owner'}`);
  }
}
