// How values read on screen: UK dates, times without seconds, field names
// as words. Pure functions, unit-tested.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-03-02" → "Mon 2 Mar 2026"; empty or null → "—". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const weekday = DAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${weekday} ${day} ${MONTHS[month - 1]} ${year}`;
}

/** An instant's London wall-clock parts, or null when it is not one. */
function londonParts(iso: string): { weekday: string; day: string; month: string; year: string; time: string } | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { weekday: get("weekday"), day: get("day"), month: get("month"), year: get("year"), time: `${get("hour")}:${get("minute")}` };
}

/** An RFC 3339 UTC instant shown in UK local time: "2 Mar 2026, 09:00". */
export function formatInstant(iso: string): string {
  const at = londonParts(iso);
  return at ? `${at.day} ${at.month} ${at.year}, ${at.time}` : iso;
}

/** A span between two UTC instants in London time, with its weekday, the day
 * said once when both ends fall on it: "Sun 13 Dec 2026, 08:00–21:45"; over
 * midnight "Sat 12 Dec 2026, 22:00 – Sun 13 Dec, 07:00". */
export function formatSpan(from: string, until: string): string {
  const [a, b] = [londonParts(from), londonParts(until)];
  if (!a || !b) return `${from} – ${until}`;
  const start = `${a.weekday} ${a.day} ${a.month} ${a.year}, ${a.time}`;
  if (a.day === b.day && a.month === b.month && a.year === b.year) return `${start}–${b.time}`;
  return `${start} – ${b.weekday} ${b.day} ${b.month}${b.year === a.year ? "" : ` ${b.year}`}, ${b.time}`;
}

/** "07:30:00" or "07:30" → "07:30". */
export function formatTime(time: string): string {
  return time.slice(0, 5);
}

/** "right_to_work_expires_on" → "Right to work expires on". */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/_/g, " ")
    .replace(/\bmin\b/, "minutes")
    .replace(/\bkmh\b/, "speed (km/h)")
    .replace(/\blat\b/, "latitude")
    .replace(/\blon\b/, "longitude");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How a logged value reads in the history: empty text and null as "—". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string" && value.startsWith("[")) {
    try {
      const list = JSON.parse(value);
      if (Array.isArray(list)) return list.length ? list.join(", ") : "—";
    } catch {
      return value;
    }
  }
  return String(value);
}

/** A count as an English reader writes it: 8,725. */
export function figure(count: number): string {
  return count.toLocaleString("en-GB");
}

/** The word that goes with a figure shown on its own: 1 "gap", 2 "gaps". */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

export function hours(value: number): string {
  return Number.isInteger(value) ? `${value} h` : `${value.toFixed(1)} h`;
}
