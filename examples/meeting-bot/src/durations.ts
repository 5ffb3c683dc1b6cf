/** The longest wait `/remind` accepts. */
const MAX_REMINDER_MS = 24 * 60 * 60 * 1000;

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a wait such as `90s`, `5m`, `1h30m` (units s, m, h; whole numbers); undefined when it is
 * not one, is zero, or is longer than a day.
 */
export function parseDuration(text: string): number | undefined {
  const parts = /^(?:(\d{1,5})h)?(?:(\d{1,5})m)?(?:(\d{1,5})s)?$/iu.exec(text.trim());
  if (!parts || text.trim() === '') return undefined;
  const [, h = '0', m = '0', s = '0'] = parts;
  const ms = Number(h) * (UNITS['h'] as number) + Number(m) * (UNITS['m'] as number) + Number(s) * (UNITS['s'] as number);
  return ms > 0 && ms <= MAX_REMINDER_MS ? ms : undefined;
}

/** A wait said in words: `5 minutes`, `1 hour 30 minutes`, `45 seconds`. */
export function describeDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const parts: string[] = [];
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m > 0) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (s > 0 || parts.length === 0) parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(' ');
}
