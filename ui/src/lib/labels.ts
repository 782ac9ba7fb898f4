// Words for the core's enum values, and the choices each form offers.
import type { Weekday } from "./bindings/Weekday";

export const weekdays: { value: Weekday; label: string }[] = [
  { value: "mon", label: "Mon" },
  { value: "tue", label: "Tue" },
  { value: "wed", label: "Wed" },
  { value: "thu", label: "Thu" },
  { value: "fri", label: "Fri" },
  { value: "sat", label: "Sat" },
  { value: "sun", label: "Sun" },
];

export const genders = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "other", label: "Other" },
  { value: "unspecified", label: "Not stated" },
];

export const transports = [
  { value: "car", label: "Car" },
  { value: "foot", label: "On foot" },
  { value: "bicycle", label: "Bicycle" },
  { value: "public_transport", label: "Public transport" },
];

export const clientStatuses = [
  { value: "active", label: "Active" },
  { value: "in_hospital", label: "In hospital" },
  { value: "suspended", label: "Suspended" },
  { value: "ended", label: "Ended" },
];

export const fundings = [
  { value: null, label: "Choose…" },
  { value: "local_authority", label: "Local authority" },
  { value: "nhs_chc", label: "NHS continuing healthcare" },
  { value: "private", label: "Private" },
  { value: "direct_payment", label: "Direct payment" },
  { value: "mixed", label: "Mixed" },
];

export const genderPreferences = [
  { value: "any", label: "No preference" },
  { value: "female", label: "Female carers only" },
  { value: "male", label: "Male carers only" },
];

export const absenceKinds = [
  { value: "annual_leave", label: "Annual leave" },
  { value: "sickness", label: "Sickness" },
  { value: "training", label: "Training" },
  { value: "compassionate", label: "Compassionate leave" },
  { value: "other", label: "Other" },
];

export function labelOf(options: { value: unknown; label: string }[], value: unknown): string {
  return options.find((o) => o.value === value)?.label ?? String(value ?? "—");
}

export function dayList(days: Weekday[]): string {
  if (days.length === 7) return "Every day";
  if (days.length === 5 && !days.includes("sat") && !days.includes("sun")) return "Weekdays";
  return weekdays.filter((d) => days.includes(d.value)).map((d) => d.label).join(", ");
}

export const tiers = [
  { value: "first", label: "First line" },
  { value: "second", label: "Second line" },
];

export const tierLabel = (tier: string) => tiers.find((t) => t.value === tier)?.label ?? tier;

export const roles = [
  { value: "coordinator", label: "Coordinator" },
  { value: "on_call_manager", label: "On-call manager" },
  { value: "registered_manager", label: "Registered manager" },
  { value: "read_only", label: "Read-only" },
];

export const roleLabel = (role: string) => roles.find((r) => r.value === role)?.label ?? role;

export const hazardCategories = [
  { value: "environment", label: "Environment and access" },
  { value: "animals", label: "Animals" },
  { value: "aggression", label: "Aggression or violence" },
  { value: "area", label: "Area and time of day" },
  { value: "lighting_parking", label: "Lighting and parking" },
  { value: "infection", label: "Infection" },
  { value: "manual_handling", label: "Manual handling" },
  { value: "worker_health", label: "The worker's own health" },
];

/** Each control the rota obeys, and what its value is, if it has one. */
export const controlKinds = [
  { value: "double_up", label: "Two carers at every visit", value_label: "" },
  { value: "no_visits_after", label: "No visits after a time", value_label: "Visits end by (HH:MM)" },
  { value: "no_visits_in_darkness", label: "No visits in darkness", value_label: "" },
  { value: "check_in_required", label: "Check-in and check-out calls", value_label: "" },
  { value: "carer_gender", label: "Carers of one gender only", value_label: "female or male" },
  { value: "no_new_starters", label: "No new starters", value_label: "New for how many days" },
];
