// How the rota board's rows and blocks read: a block's description, a
// carer's hours and absence, the travel a candidate adds. Which visits go in
// which lane, and how they stack, is the core's (rota/board_view.rs).
import { figure, formatDate } from "./format";
import type { AddedTravel } from "./bindings/AddedTravel";
import type { BoardCarer } from "./bindings/BoardCarer";
import type { BoardClient } from "./bindings/BoardClient";
import type { BoardFilters } from "./bindings/BoardFilters";
import type { BoardVisit } from "./bindings/BoardVisit";
import type { Finding } from "./bindings/Finding";
import type { HourMark } from "./bindings/HourMark";
import type { Timeline } from "./bindings/Timeline";
import type { PeriodKind } from "./bindings/PeriodKind";
import type { SameCarers } from "./bindings/SameCarers";

/** Where the board's `day` starts and ends on its timeline, in minutes from
 * its first midnight: 1,380 or 1,500 minutes apart the days the clocks change. */
export function dayExtent(timeline: Timeline, day: number): [number, number] {
  return [timeline.day_starts[day] ?? 0, timeline.day_starts[day + 1] ?? timeline.length_min];
}

/** Whether the scale shows an hour's mark: every hour on a day's board; on a
 * week's, midnight (the day's name) and every six hours by the wall clock,
 * but not one less than six hours after the day's name, which it would
 * overlap (06:00 on the March night, five hours in). */
export function hourShown(mark: HourMark, week: boolean, timeline: Timeline): boolean {
  if (!week) return true;
  const sinceMidnight = mark.at_min - dayExtent(timeline, mark.day)[0];
  return mark.hour === 0 || (mark.hour % 6 === 0 && sinceMidnight >= 6 * 60);
}

/** Where a board opens across, in minutes from its first midnight: a day
 * at 06:00, where the work starts, but a day whose clocks change at its
 * midnight, so that the change its banner speaks of is in view on the
 * scale; a week at today's midnight when today is on it (`nowMinute`), so
 * the days to come are in view and the days gone by a scroll to the left,
 * and otherwise at its Monday. */
export function openingMinute(timeline: Timeline, week: boolean, nowMinute: number | null): number {
  if (!week && timeline.clock_changes.length) return 0;
  if (!week) return timeline.hours.find((h) => h.hour === 6)?.at_min ?? 0;
  if (nowMinute === null) return 0;
  return timeline.day_starts.filter((start) => start <= nowMinute).at(-1) ?? 0;
}

/** The board's mark for days not yet published: "Draft" when every day
 * shown is one; else which are, by name up to three ("Draft: Sun 25 Oct"),
 * and beyond that how many ("Draft: 6 of 7 days"). */
export function draftMark(drafts: string[], days: number): string {
  if (drafts.length >= days) return "Draft";
  if (drafts.length <= 3) return `Draft: ${drafts.map((d) => formatDate(d).replace(/ \d{4}$/, "")).join(", ")}`;
  return `Draft: ${drafts.length} of ${days} days`;
}

/** What publishing the board's days said: "Published Thu 3 Dec 2026." for
 * a day, "Published Mon 30 Nov 2026 to Sun 6 Dec 2026." for a week; then
 * where changes go from now on. */
export function publishedSaid(from: string, to: string): string {
  const days = from === to ? formatDate(from) : `${formatDate(from)} to ${formatDate(to)}`;
  return `Published ${days}. From now on, changes are listed under “To tell”.`;
}

/** No filter: every carer and every waiting visit. */
export const noFilters: BoardFilters = { area: "", skill: "", carer: "", problems_only: false };

/** Why a carer is away, for their row: `short` the kind alone ("Sickness"),
 * since the row's stripes show the days and the hours must still fit beside
 * it; `long`, for the row's title, "Sickness" when away every day of the
 * board and "Sickness, 2 days" when away some. Both "" when not away. */
export function absenceTag(carer: BoardCarer, days: number): { short: string; long: string } {
  const [first] = carer.absent;
  if (!first) return { short: "", long: "" };
  const n = carer.absent.length;
  return { short: first[1], long: n === days ? first[1] : `${first[1]}, ${n} day${n > 1 ? "s" : ""}` };
}

/** A carer's hours on their row: the week's work against the contract
 * ("22 h 30 of 30 h"), the week the hours rules count whichever days are
 * shown, and the lines its title gives: the day's visits on a day's board,
 * then the week with its travel between visits. */
export function rowHours(carer: BoardCarer, days: number): { short: string; lines: string[] } {
  const worked = hoursAndMinutes(carer.week_minutes);
  const travel = carer.week_travel_minutes ? ` (${hoursAndMinutes(carer.week_travel_minutes)} of it travel between visits)` : "";
  const week = `This week: ${worked} worked of ${carer.contracted_hours} h contracted${travel}`;
  const lines = days === 1 ? [`This day: ${hoursAndMinutes(carer.minutes)} of visits`, week] : [week];
  return { short: ofContract(carer.week_minutes, carer.contracted_hours), lines };
}

/** A week's work against a contract: "22 h 30 of 37.5 h". */
export function ofContract(minutes: number, contractedHours: number): string {
  return `${hoursAndMinutes(minutes)} of ${contractedHours} h`;
}

/** The carer page's line for the Working Time Regulations' average, over
 * the weeks the core says (17, or those since a new carer started or since
 * the agency's records of work begin):
 * "31 h 20 a week over 17 weeks, 2 h 10 of it travel between visits". */
export function averageLine(w: { weeks: number; period: PeriodKind; average_min: number; average_travelling_min: number }): string {
  const over = {
    seventeen_weeks: `over ${w.weeks} weeks`,
    since_starting: w.weeks === 1 ? "in their first week" : `over their first ${w.weeks} weeks`,
    since_records: w.weeks === 1 ? "in the one week Caredesk has records for" : `over the ${w.weeks} weeks Caredesk has records for`,
  }[w.period];
  const travel = w.average_travelling_min ? `, ${hoursAndMinutes(w.average_travelling_min)} of it travel between visits` : "";
  return `${hoursAndMinutes(w.average_min)} a week ${over}${travel}`;
}

/** "3 h 20", "45 min" or "0 h" for minutes worked. */
export function hoursAndMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0 && m > 0) return `${m} min`;
  return m ? `${h} h ${String(m).padStart(2, "0")}` : `${h} h`;
}

/** What a candidate's travel reads: "12 min extra travel", "no extra travel",
 * or, with no other visit that day, "58 min travel, from home and back". */
export function addedTravel(travel: AddedTravel): string {
  if (travel.minutes === 0) return "no extra travel";
  const time = hoursAndMinutes(travel.minutes);
  return travel.from_home_and_back ? `${time} travel, from home and back` : `${time} extra travel`;
}

/** The sentence a block's tooltip and screen reader give. */
export function describeBlock(visit: BoardVisit, client: BoardClient): string {
  const parts = [`${visit.local_start} ${visit.label} for ${client.name}, ${visit.duration_min} min`];
  const carers = visit.carers ?? [];
  if (visit.cancelled) parts.push(visit.cancel_reason ? `cancelled: ${visit.cancel_reason}` : "cancelled");
  if (visit.carers_required === 2) parts.push("double-up");
  if (visit.time_critical) parts.push(`time-critical ±${visit.flex_min ?? 0} min`);
  if (carers.length) parts.push(`with ${carers.map((c) => c.name).join(" and ")}`);
  if (visit.needs_carer) parts.push(carers.length ? "needs a second carer" : "needs a carer");
  for (const f of visit.findings ?? []) parts.push(`${f.severity === "block" ? "Blocked" : "Warning"}: ${f.message}`);
  return parts.join(" · ");
}

/** The marks a block wide enough for them shows before its text: its worst
 * finding (✖ broken rule, ⚠ warning), then ◷ when it is time-critical; ""
 * for none. The double-up's boxed 2 is drawn after them by the stylesheet.
 * They are drawn from the block's own attribute, not elements of their own:
 * every element in a block is paid for in each of the hundreds drawn. */
export function blockMarks(visit: BoardVisit): string {
  const worst = visit.worst === "block" ? "✖" : visit.worst === "warn" ? "⚠" : "";
  return [worst, visit.time_critical ? "◷" : ""].filter(Boolean).join("\u2009");
}

/** What an allocation went past with its reason, for the line that confirms
 * it: ", past 1 broken rule and 2 warnings (reason recorded)"; "" when it
 * went past nothing. A block is named as the board names it, a broken rule. */
export function pastTheRules(overridden: Finding[]): string {
  const blocks = overridden.filter((f) => f.severity === "block").length;
  const warnings = overridden.length - blocks;
  const counted = (n: number, one: string, many: string) => `${figure(n)} ${n === 1 ? one : many}`;
  const past = [
    blocks ? counted(blocks, "broken rule", "broken rules") : "",
    warnings ? counted(warnings, "warning", "warnings") : "",
  ].filter(Boolean);
  return past.length ? `, past ${past.join(" and ")} (reason recorded)` : "";
}

/** What giving last week's carers did, in a line: "Last week's carers: 68 allocations made, 4 left open; 118 waiting visits had no carer the week before." */
export function sameCarersLine(r: SameCarers): string {
  if (r.given === 0 && r.left.length === 0) {
    return `Last week's carers: nothing to give, as none of the ${figure(r.nothing_before)} waiting ${r.nothing_before === 1 ? "visit" : "visits"} had a carer the week before.`;
  }
  let line = `Last week's carers: ${figure(r.given)} ${r.given === 1 ? "allocation" : "allocations"} made`;
  if (r.past_warnings) line += ` (${figure(r.past_warnings)} past a warning, reason recorded)`;
  if (r.left.length) line += `, ${figure(r.left.length)} left open`;
  if (r.nothing_before) line += `; ${figure(r.nothing_before)} waiting ${r.nothing_before === 1 ? "visit" : "visits"} had no carer the week before`;
  return line + ".";
}

/** A step's place among those the summary line counts: "2 of 4", or "1–2 of 5" for a visit with two of the warnings. */
export function placeOf(s: { place: number; place_to: number; of: number }): string {
  return `${s.place_to > s.place ? `${s.place}–${s.place_to}` : s.place} of ${s.of}`;
}
