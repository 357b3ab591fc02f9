// Page input is checked as it is stored, so every record exports to a valid trace: the values
// accepted, and readers that keep a field only when it is well formed.

import * as E from '../protocol/enums';
import { setOf } from '../protocol/enums';

export const VIAS = setOf(E.VIAS);
export const KINDS = setOf(E.CONTEXT_KINDS);
export const TRANSFER_KINDS = setOf(E.TRANSFER_KINDS);
export const CAUSE = /^[A-Za-z0-9][\w.:-]{0,99}$/;
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Longest string kept from a page (previews, stacks, urls). */
export const MAX_TEXT = 65_536;

/** Longest sample text kept: a page's sample is far smaller (SAMPLE_LIMITS); a longer one is dropped, never cut. */
export const MAX_SAMPLE = 262_144;

export const text = (v: unknown): string | null => (typeof v !== 'string' ? null : v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v);
export const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
