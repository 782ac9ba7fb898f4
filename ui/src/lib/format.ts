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

/** An RFC 3339 UTC instant shown in UK local time: "2 Mar 2026, 09:00". */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("day")} ${get("month")} ${get("year")}, ${get("hour")}:${get("minute")}`;
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
  if (value === 1 || value === 0) return String(value);
  return String(value);
}

export function hours(value: number): string {
  return Number.isInteger(value) ? `${value} h` : `${value.toFixed(1)} h`;
}
