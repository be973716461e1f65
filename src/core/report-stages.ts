/**
 * `tb report`'s stage KPIs (core/report.ts, "Stage conversion" and "Days per stage"): each deal's
 * timeline, how many deals reached each open stage and went further, and how long stays lasted.
 */
import type { Config, CrmRecord } from './types.js';
import { dealCreated, dealHistory } from './derived.js';
import { asString } from './fields.js';
import { daysBetween } from './dates.js';
import { average, inPeriod, rate } from './report-math.js';
import type { ReportOptions, StageConversion, StageDuration } from './report.js';

type TimelineEntry = { date: string; stage: string };

/** History, or a single `{created, stage}` entry for a deal that has never been moved. */
export function dealTimeline(deal: CrmRecord): TimelineEntry[] {
  const history = dealHistory(deal);
  if (history.length) return history;
  const created = dealCreated(deal);
  const stage = asString(deal.data.stage);
  return created && stage ? [{ date: created, stage }] : [];
}

/** Rank of a stage for "later than": open stages by position, won after all, others never later. */
function stageRanks(config: Config): Map<string, number> {
  const ranks = new Map<string, number>();
  config.pipeline.forEach((s, i) => {
    if (!s.closed) ranks.set(s.id, i);
    else if (s.closed === 'won') ranks.set(s.id, config.pipeline.length);
  });
  return ranks;
}

export function stageConversion(deals: CrmRecord[], config: Config, opts: ReportOptions): StageConversion[] {
  const ranks = stageRanks(config);
  const openStages = config.pipeline.filter((s) => !s.closed).map((s) => s.id);
  const reached = new Map<string, number>(openStages.map((s) => [s, 0]));
  const advanced = new Map<string, number>(openStages.map((s) => [s, 0]));
  for (const deal of deals) {
    const timeline = dealTimeline(deal).filter((e) => e.date <= opts.until);
    for (const stage of openStages) {
      const first = timeline.findIndex((e) => e.stage === stage && inPeriod(e.date, opts));
      if (first < 0) continue;
      reached.set(stage, reached.get(stage)! + 1);
      const rank = ranks.get(stage)!;
      if (timeline.slice(first + 1).some((e) => (ranks.get(e.stage) ?? -1) > rank)) advanced.set(stage, advanced.get(stage)! + 1);
    }
  }
  return openStages.map((stage) => ({ stage, reached: reached.get(stage)!, advanced: advanced.get(stage)!, rate: rate(advanced.get(stage)!, reached.get(stage)!) }));
}

export function stageDurations(deals: CrmRecord[], config: Config, opts: ReportOptions): StageDuration[] {
  const openStages = config.pipeline.filter((s) => !s.closed).map((s) => s.id);
  const stays = new Map<string, number[]>(openStages.map((s) => [s, []]));
  for (const deal of deals) {
    const timeline = dealTimeline(deal);
    for (let k = 0; k + 1 < timeline.length; k++) {
      const [stay, next] = [timeline[k], timeline[k + 1]];
      if (inPeriod(next.date, opts)) stays.get(stay.stage)?.push(daysBetween(stay.date, next.date));
    }
  }
  return openStages.map((stage) => ({ stage, averageDays: average(stays.get(stage)!), stays: stays.get(stage)!.length }));
}

