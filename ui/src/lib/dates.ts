// Calendar arithmetic on ISO dates ("2026-03-02"), without time zones:
// the core decides instants; the UI only moves between days.

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}
