import { describe, expect, it } from "vitest";
import { fieldLabel, figure, formatDate, formatInstant, formatSpan, formatTime, formatValue, noun } from "./format";
import { errorsByField, fieldId } from "./forms";
import { parseHash } from "./router.svelte";

describe("dates and times read the way a UK coordinator reads them", () => {
  it("shows an ISO date with its weekday", () => {
    expect(formatDate("2026-03-02")).toBe("Mon 2 Mar 2026");
    expect(formatDate("")).toBe("—");
  });
  it("shows a UTC instant in London time, across the clock change", () => {
    expect(formatInstant("2026-01-15T09:00:00.000Z")).toBe("15 Jan 2026, 09:00");
    expect(formatInstant("2026-07-15T09:00:00.000Z")).toBe("15 Jul 2026, 10:00");
  });
  it("says a span's day once when both ends are on it, and both days over midnight", () => {
    expect(formatSpan("2026-12-13T08:00:00Z", "2026-12-13T21:45:00Z")).toBe("Sun 13 Dec 2026, 08:00–21:45");
    expect(formatSpan("2026-12-12T22:00:00Z", "2026-12-13T07:00:00Z")).toBe("Sat 12 Dec 2026, 22:00 – Sun 13 Dec, 07:00");
    expect(formatSpan("2026-12-31T22:00:00Z", "2027-01-01T07:00:00Z")).toBe("Thu 31 Dec 2026, 22:00 – Fri 1 Jan 2027, 07:00");
    // 23:30 UTC on 15 July is 00:30 BST on the 16th, London's day.
    expect(formatSpan("2026-07-15T23:30:00Z", "2026-07-16T06:00:00Z")).toBe("Thu 16 Jul 2026, 00:30–07:00");
  });
  it("drops seconds from wall-clock times", () => {
    expect(formatTime("07:30:00")).toBe("07:30");
  });
});

describe("a figure's word agrees with it", () => {
  it("says one gap, no gaps and two gaps", () => {
    expect([1, 0, 2].map((n) => `${n} ${noun(n, "gap")}`)).toEqual(["1 gap", "0 gaps", "2 gaps"]);
  });
  it("takes the plural it is given where adding an s is wrong", () => {
    expect(noun(3, "person", "people")).toBe("people");
    expect(noun(1, "person", "people")).toBe("person");
  });
});

describe("history values and field names read as words", () => {
  it("turns column names into labels", () => {
    expect(fieldLabel("right_to_work_expires_on")).toBe("Right to work expires on");
    expect(fieldLabel("duration_min")).toBe("Duration minutes");
    expect(fieldLabel("foot_kmh")).toBe("Foot speed (km/h)");
  });
  it("shows JSON lists as comma-separated words and empties as a dash", () => {
    expect(formatValue('["mon","wed"]')).toBe("mon, wed");
    expect(formatValue(null)).toBe("—");
    expect(formatValue("")).toBe("—");
  });
});

describe("form errors land beside the right field", () => {
  it("keeps the first message per field", () => {
    const errors = errorsByField([
      { field: "postcode", message: "not a UK postcode" },
      { field: "postcode", message: "second" },
      { field: "skills[1].skill", message: "unknown" },
    ]);
    expect(errors).toEqual({ postcode: "not a UK postcode", "skills[1].skill": "unknown" });
  });
  it("makes DOM ids from nested field paths", () => {
    expect(fieldId("skills[1].expires_on")).toBe("f-skills-1-expires_on");
    expect(fieldId("postcode")).toBe("f-postcode");
  });
});

describe("the address bar names the page", () => {
  it("parses areas and record ids", () => {
    expect(parseHash("#/clients/abc/edit")).toEqual({ area: "clients", parts: ["abc", "edit"] });
    expect(parseHash("")).toEqual({ area: "today", parts: [] });
  });
});

import { addDays } from "./dates";

describe("moving between days", () => {
  it("crosses months, years and the clock-change weekend by whole days", () => {
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});

describe("a count reads as an English reader writes it", () => {
  it("puts a comma between thousands, as the rota's own counts do", () => {
    expect([8725, 60957, 999, 0, 1234567].map(figure)).toEqual(["8,725", "60,957", "999", "0", "1,234,567"]);
  });
});
