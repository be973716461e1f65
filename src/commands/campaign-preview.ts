/** `tb campaign preview` (docs/campaigns.md): who gets it, who is left out and why, the first messages. */
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import { recordJson } from '../render/records.js';
import { makeStyle } from '../render/style.js';
import { loadCampaignData, prepare } from './campaign-common.js';
import { terminalSafe } from '../render/safe-text.js';
import { formatAddress, missingLines, REASON_TEXT, skippedJson } from '../core/campaign-prepare.js';

export async function previewCampaign(app: App, ref: string, opts: { limit?: string }): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const limit = Number(opts.limit ?? '1');
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a whole number, got '${opts.limit}'`);
  const ds = await loadCampaignData(app);
  const p = await prepare(app, ds, ref);
  const shown = p.rendered.slice(0, limit);
  const missing = p.rendered.filter((r) => r.missing.length).map((r) => ({ id: r.contact.id, keys: r.missing }));
  if (format === 'json') {
    app.out(JSON.stringify({
      campaign: recordJson(p.record, undefined, true),
      from: p.from,
      segment: { query: p.campaign.segment, members: p.members },
      recipients: p.rendered.map((r) => ({ id: r.contact.id, name: r.to.name, email: r.to.address })),
      skipped: skippedJson(p.audience),
      missing,
      messages: shown.map((r) => ({ to: r.to, subject: r.subject, text: r.text, ...(r.listUnsubscribe ? { list_unsubscribe: r.listUnsubscribe } : {}) })),
    }, null, 2));
    return;
  }
  const style = makeStyle(app.color);
  const lines: string[] = [];
  lines.push(style.bold(`Campaign ${p.campaign.id}: ${terminalSafe(p.campaign.name)} (${p.campaign.status}${p.campaign.sent ? ` ${p.campaign.sent}` : ''})`));
  lines.push(`Segment:    ${p.campaign.segment} (${p.members} contact${p.members === 1 ? '' : 's'})`);
  lines.push(`From:       ${safeAddress(p.from)}`);
  lines.push(`Recipients: ${p.rendered.length}`);
  for (const r of p.rendered) lines.push(`  ${r.contact.id}  ${safeAddress(r.to)}`);
  if (p.audience.skipped.length) {
    lines.push(`Left out:   ${p.audience.skipped.length}`);
    for (const s of p.audience.skipped) lines.push(`  ${s.contact.id}  ${REASON_TEXT[s.reason]}${s.detail ? ` (${s.detail})` : ''}`);
  }
  const problems = missingLines(p);
  if (problems.length) {
    lines.push(style.bold('Cannot send yet:'));
    for (const l of problems) lines.push(`  ${l}`);
  }
  shown.forEach((r, i) => {
    lines.push('', style.dim(`--- message ${i + 1} of ${p.rendered.length} ---`));
    lines.push(`From: ${safeAddress(p.from)}`, `To: ${safeAddress(r.to)}`, `Subject: ${terminalSafe(r.subject)}`);
    if (r.listUnsubscribe) lines.push(`List-Unsubscribe: ${r.listUnsubscribe}`);
    lines.push('', terminalSafe(r.text).replace(/\n$/, ''));
  });
  app.out(lines.join('\n'));
}

/** An address as shown on the terminal: names come from files, so control characters are escaped. */
function safeAddress(a: { name?: string; address: string }): string {
  return terminalSafe(formatAddress(a));
}
