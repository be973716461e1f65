/**
 * Planning an import (docs/import-export.md): the public entry points, one module per job under
 * core/import/ — plan.ts (the plan, filling empty fields, keeping what tb check rejects out),
 * match.ts (contact matching), contacts.ts (CSV and vCard contacts), json.ts (tb's own export),
 * sheets.ts (companies, deals and interactions from a CSV sheet).
 */
export { fillEmpty } from './import/plan.js';
export type { Edit, ImportContext, ImportCounts, ImportPlan, PlanStep, RowOutcome } from './import/plan.js';
export { profileKey } from './import/match.js';
export { draftData, planContactImport } from './import/contacts.js';
export { planJsonImport } from './import/json.js';
export { planRecordsImport } from './import/sheets.js';
