// Runs the audit and keeps the findings of one rule.
import { runAudit, type AuditFinding, type AuditOptions } from '../../../src/audit';
import type { Snap } from './build';

export function findings(s: Snap, rule: string, options?: AuditOptions): AuditFinding[] {
  return runAudit(s.build(), options).filter((f) => f.rule === rule);
}
