import { describe, expect, it } from "vitest";
import { absenceTag, addedTravel, averageLine, blockMarks, dayExtent, describeBlock, draftMark, hourShown, hoursAndMinutes, openingMinute, pastTheRules, placeOf, publishedSaid, rowHours, sameCarersLine } from "./rota";
import type { Timeline } from "./bindings/Timeline";
import type { Finding } from "./bindings/Finding";
import type { BoardCarer } from "./bindings/BoardCarer";
import type { BoardClient } from "./bindings/BoardClient";
import type { BoardVisit } from "./bindings/BoardVisit";

/** A visit as the core sends it: the usual values (no carers, no findings,
 * not cancelled, empty notes) left out. */
function visit(id: string, start_min: number, duration_min: number, extra: Partial<BoardVisit> = {}): BoardVisit {
  return {
    id, client_id: "c-" + id, label: "Morning call",
    day: 0, start_min, at_min: start_min, local_start: "07:30", duration_min, carers_required: 1, needs_carer: true, ...extra,
  };
}

function carer(id: string, name: string, extra: Partial<BoardCarer> = {}): BoardCarer {
  return { carer_id: id, name, minutes: 0, week_minutes: 0, week_travel_minutes: 0, contracted_hours: 30, available: [], absent: [], findings: [], week_tag: "", ...extra };
}

const margaret: BoardClient = { name: "Margaret Onions", postcode: "SY3 7NR", area: "SY3" };

describe("a block explains itself", () => {
  it("reads whole when the core left out its empty lists and notes", () => {
    expect(describeBlock(visit("a", 450, 30), margaret)).toBe("07:30 Morning call for Margaret Onions, 30 min · needs a carer");
    expect(describeBlock(visit("b", 450, 30, { time_critical: true }), margaret)).toContain("time-critical ±0 min");
    expect(describeBlock(visit("c", 450, 30, { cancelled: true, needs_carer: false }), margaret)).toBe("07:30 Morning call for Margaret Onions, 30 min · cancelled");
  });
  it("marks a block with its worst finding, then time-critical, and nothing for a plain visit", () => {
    const blocked: Finding = { rule: "overlap", severity: "block", visit_ids: [], carer_id: null, message: "Sarah is double booked" };
    expect(blockMarks(visit("a", 450, 30, { worst: "block", findings: [blocked], time_critical: true }))).toBe("✖\u2009◷");
    expect(blockMarks(visit("b", 450, 30, { worst: "warn" }))).toBe("⚠");
    expect(blockMarks(visit("c", 450, 30, { time_critical: true }))).toBe("◷");
    expect(blockMarks(visit("d", 450, 30))).toBe("");
  });
  it("says what needs doing and why a rule fired", () => {
    const text = describeBlock(visit("a", 450, 45, { carers_required: 2, findings: [{ rule: "overlap", severity: "block", visit_ids: [], carer_id: null, message: "Sarah is double booked" }] }), margaret);
    expect(text).toContain("double-up");
    expect(text).toContain("needs a carer");
    expect(text).toContain("Blocked: Sarah is double booked");
  });
});

describe("the travel a visit adds to a candidate's day", () => {
  it("says when it is from home and back, because they have no other visit that day", () => {
    expect(addedTravel({ minutes: 58, from_home_and_back: true })).toBe("58 min travel, from home and back");
    expect(addedTravel({ minutes: 75, from_home_and_back: false })).toBe("1 h 15 extra travel");
    expect(addedTravel({ minutes: 0, from_home_and_back: true })).toBe("no extra travel");
  });
});

describe("hours read as a coordinator says them", () => {
  it("gives minutes alone under an hour, and hours with minutes after", () => {
    expect(hoursAndMinutes(45)).toBe("45 min");
    expect(hoursAndMinutes(0)).toBe("0 h");
    expect(hoursAndMinutes(200)).toBe("3 h 20");
    expect(hoursAndMinutes(120)).toBe("2 h");
  });
});


describe("the line for last week's carers given", () => {
  it("counts what was given, what was left open and what had nobody before", () => {
    const none = { past_warnings: 0, left_for_warnings: 0, stopped: null };
    expect(sameCarersLine({ given: 1280, left: ["a", "b"], nothing_before: 1, ...none })).toBe(
      "Last week's carers: 1,280 allocations made, 2 left open; 1 waiting visit had no carer the week before.",
    );
    expect(sameCarersLine({ given: 1, left: [], nothing_before: 0, ...none })).toBe("Last week's carers: 1 allocation made.");
    expect(sameCarersLine({ given: 3, left: ["a"], nothing_before: 0, past_warnings: 2, left_for_warnings: 0, stopped: null })).toBe(
      "Last week's carers: 3 allocations made (2 past a warning, reason recorded), 1 left open.",
    );
  });

  it("says there was nothing to give when no waiting visit had a carer before", () => {
    expect(sameCarersLine({ given: 0, left: [], nothing_before: 186, past_warnings: 0, left_for_warnings: 0, stopped: null })).toBe(
      "Last week's carers: nothing to give, as none of the 186 waiting visits had a carer the week before.",
    );
  });
});

describe("a carer's row says when they are away", () => {
  it("names the absence alone when it covers the whole board, with its days when it covers some, and nothing otherwise", () => {
    const away = (days: number) => carer("c1", "Sarah Evans", { absent: Array.from({ length: days }, (_, d) => [d, "Sickness"] as [number, string]) });
    expect(absenceTag(away(7), 7).long).toBe("Sickness");
    expect(absenceTag(away(1), 7).long).toBe("Sickness, 1 day");
    expect(absenceTag(away(5), 7).long).toBe("Sickness, 5 days");
    expect(absenceTag(away(0), 7)).toEqual({ short: "", long: "" });
  });

  it("shows the kind alone on the row, so the week's hours still fit beside it", () => {
    const away = carer("c1", "Blessing Brown", { absent: [1, 2, 3, 4, 5].map((d) => [d, "Sickness"] as [number, string]) });
    expect(absenceTag(away, 7).short).toBe("Sickness");
  });
});

describe("a carer's row gives the week's hours as the hours rules count them", () => {
  const sarah = carer("c1", "Sarah Evans", { minutes: 210, week_minutes: 1350, week_travel_minutes: 130, contracted_hours: 25 });

  it("shows the week's work against the contract on a day's board, with the day's visits in the title", () => {
    expect(rowHours(sarah, 1)).toEqual({
      short: "22 h 30 of 25 h",
      lines: ["This day: 3 h 30 of visits", "This week: 22 h 30 worked of 25 h contracted (2 h 10 of it travel between visits)"],
    });
  });

  it("gives the week alone on the week's board, and no travel where there is none", () => {
    const walker = { ...sarah, week_minutes: 90, week_travel_minutes: 0 };
    expect(rowHours(walker, 7)).toEqual({ short: "1 h 30 of 25 h", lines: ["This week: 1 h 30 worked of 25 h contracted"] });
  });
});

describe("a carer's page gives the 17-week average as the 48-hour rule counts it", () => {
  it("says the week's average with the travel in it, and leaves travel out when there was none", () => {
    expect(averageLine({ weeks: 17, period: "seventeen_weeks", average_min: 1880, average_travelling_min: 130 })).toBe(
      "31 h 20 a week over 17 weeks, 2 h 10 of it travel between visits",
    );
    expect(averageLine({ weeks: 17, period: "seventeen_weeks", average_min: 45, average_travelling_min: 0 })).toBe("45 min a week over 17 weeks");
  });

  it("says a new carer's average is over the weeks since they started", () => {
    expect(averageLine({ weeks: 4, period: "since_starting", average_min: 2895, average_travelling_min: 0 })).toBe("48 h 15 a week over their first 4 weeks");
    expect(averageLine({ weeks: 1, period: "since_starting", average_min: 600, average_travelling_min: 0 })).toBe("10 h a week in their first week");
  });

  it("says an average is over the weeks Caredesk has records for, at an agency new to it", () => {
    expect(averageLine({ weeks: 3, period: "since_records", average_min: 3050, average_travelling_min: 140 })).toBe(
      "50 h 50 a week over the 3 weeks Caredesk has records for, 2 h 20 of it travel between visits",
    );
    expect(averageLine({ weeks: 1, period: "since_records", average_min: 2900, average_travelling_min: 0 })).toBe(
      "48 h 20 a week in the one week Caredesk has records for",
    );
  });
});

describe("an allocation made past the rules says what it went past", () => {
  const found = (severity: "block" | "warn"): Finding => ({ rule: "skill_missing", severity, visit_ids: [], carer_id: null, message: "" });
  it("names a block as the board does, a broken rule, not a warning", () => {
    expect(pastTheRules([found("block")])).toBe(", past 1 broken rule (reason recorded)");
  });
  it("counts broken rules and warnings apart", () => {
    expect(pastTheRules([found("warn"), found("block"), found("warn")])).toBe(", past 1 broken rule and 2 warnings (reason recorded)");
    expect(pastTheRules([found("warn")])).toBe(", past 1 warning (reason recorded)");
  });
  it("says nothing when nothing was gone past", () => {
    expect(pastTheRules([])).toBe("");
  });
});

describe("the board's scale on the nights the clocks change", () => {
  // The week of 19 October 2026 as the core sends it: its Sunday, when the
  // clocks go back, is 25 hours long.
  const week: Timeline = {
    length_min: 7 * 1440 + 60,
    day_starts: [0, 1440, 2880, 4320, 5760, 7200, 8640],
    hours: [
      { at_min: 8640, day: 6, hour: 0, label: "00:00" },
      { at_min: 8700, day: 6, hour: 1, label: "01:00 BST" },
      { at_min: 8760, day: 6, hour: 1, label: "01:00 GMT" },
      { at_min: 9000, day: 6, hour: 5, label: "05:00" },
      { at_min: 9060, day: 6, hour: 6, label: "06:00" },
    ],
    clock_changes: [{ at_min: 8760, day: 6, said: "Clocks go back at 02:00", label: "Clocks back to 01:00" }],
  };
  it("gives a day its own length, the last one running to the board's end", () => {
    expect(dayExtent(week, 0)).toEqual([0, 1440]);
    expect(dayExtent(week, 6)).toEqual([8640, 8640 + 25 * 60]);
  });
  it("marks every hour on a day's board, and on a week's the day and every six hours by the wall clock", () => {
    expect(week.hours.filter((h) => hourShown(h, false, week))).toHaveLength(5);
    expect(week.hours.filter((h) => hourShown(h, true, week)).map((h) => h.label)).toEqual(["00:00", "06:00"]);
  });
  it("opens the week at today's midnight, the 25-hour Sunday's too", () => {
    expect(openingMinute(week, true, 4320 + 9 * 60)).toBe(4320);
    expect(openingMinute(week, true, 8640 + 90)).toBe(8640);
    expect(openingMinute(week, true, 8640 + 25 * 60 - 1)).toBe(8640);
    expect(openingMinute(week, true, 0)).toBe(0);
    expect(openingMinute(week, true, null)).toBe(0);
  });
  it("opens a day at 06:00 by the wall clock, but the day the clocks change at its midnight, the change in view", () => {
    // Sunday 25 October alone, as the core sends a day: 06:00 is 7 hours in.
    const sunday: Timeline = {
      length_min: 25 * 60,
      day_starts: [0],
      hours: [
        { at_min: 0, day: 0, hour: 0, label: "00:00" },
        { at_min: 60, day: 0, hour: 1, label: "01:00 BST" },
        { at_min: 120, day: 0, hour: 1, label: "01:00 GMT" },
        { at_min: 420, day: 0, hour: 6, label: "06:00" },
      ],
      clock_changes: [{ at_min: 120, day: 0, said: "Clocks go back at 02:00", label: "Clocks back to 01:00" }],
    };
    expect(openingMinute(sunday, false, null)).toBe(0);
    expect(openingMinute({ ...sunday, clock_changes: [] }, false, null)).toBe(420);
  });
  it("leaves out a week's 06:00 on the March night, five hours after the day's name it would overlap", () => {
    // The week of 22 March 2027: its Sunday is 23 hours long.
    const march: Timeline = {
      length_min: 7 * 1440 - 60,
      day_starts: [0, 1440, 2880, 4320, 5760, 7200, 8640],
      hours: [
        { at_min: 8640, day: 6, hour: 0, label: "00:00" },
        { at_min: 8940, day: 6, hour: 6, label: "06:00" },
        { at_min: 9300, day: 6, hour: 12, label: "12:00" },
      ],
      clock_changes: [{ at_min: 8700, day: 6, said: "Clocks go forward at 01:00", label: "Clocks on to 02:00" }],
    };
    expect(march.hours.filter((h) => hourShown(h, true, march)).map((h) => h.label)).toEqual(["00:00", "12:00"]);
    expect(march.hours.filter((h) => hourShown(h, false, march))).toHaveLength(3);
  });
});

describe("a step's place among what the summary line counts", () => {
  it("is one number for a stop with one finding, and the span of them for one with more", () => {
    expect(placeOf({ place: 2, place_to: 2, of: 4 })).toBe("2 of 4");
    expect(placeOf({ place: 1, place_to: 2, of: 5 })).toBe("1–2 of 5");
  });
});

describe("what the board says of publishing", () => {
  it("marks a board all draft as Draft, and a week partly published with which days are still drafts", () => {
    expect(draftMark(["2026-12-03"], 1)).toBe("Draft");
    expect(draftMark(["2026-10-25"], 7)).toBe("Draft: Sun 25 Oct");
    expect(draftMark(["2026-10-24", "2026-10-25"], 7)).toBe("Draft: Sat 24 Oct, Sun 25 Oct");
    expect(draftMark(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-04"], 7)).toBe("Draft: 4 of 7 days");
  });
  it("says a day published once, and a week from its first day to its last", () => {
    expect(publishedSaid("2026-12-03", "2026-12-03")).toBe("Published Thu 3 Dec 2026. From now on, changes are listed under “To tell”.");
    expect(publishedSaid("2026-11-30", "2026-12-06")).toMatch(/^Published Mon 30 Nov 2026 to Sun 6 Dec 2026\. /);
  });
});
