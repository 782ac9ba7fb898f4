import { describe, expect, it } from "vitest";
import { goFromName, goFromVisit, pageFrom, type Rows } from "./gridKeys";

/** Ten carers' rows of 36 pixels, the fourth and fifth two rows of blocks high; 150 pixels show at once; a week's timeline. */
const tops = [0, 36, 72, 108, 172, 236, 272, 308, 344, 380];
const rows: Rows = { tops, scrolled: 0, screen: 150, lengthMin: 7 * 24 * 60 };
const visit = { id: "v1", at_min: 450, duration_min: 30 };

describe("a screenful of carers at a time", () => {
  it("goes down to the first row whose top is a screen further down", () => {
    expect(pageFrom(rows, 0, true)).toBe(4);
    expect(pageFrom(rows, 4, true)).toBe(8);
  });
  it("goes up to the last row whose top is a screen further up", () => {
    expect(pageFrom(rows, 8, false)).toBe(4);
    expect(pageFrom(rows, 5, false)).toBe(2);
  });
  it("past either end gives a lane beyond it, for the core to take back to the last lane with a visit", () => {
    expect(pageFrom(rows, 8, true)).toBe(10);
    expect(pageFrom(rows, 2, false)).toBe(-1);
    expect(pageFrom(rows, -1, true)).toBe(4);
  });
  it("from the unallocated lane, which stays in place, goes down from the rows in view", () => {
    expect(pageFrom({ ...rows, scrolled: 100 }, -1, true)).toBe(6);
    expect(pageFrom({ ...rows, scrolled: 100 }, 2, true)).toBe(5);
  });
});

describe("keys on a visit", () => {
  it("go along its lane by time with the left and right arrows", () => {
    expect(goFromVisit("ArrowRight", false, 3, visit, rows)).toEqual({ go: "along", lane: 3, visit: "v1", later: true });
    expect(goFromVisit("ArrowLeft", false, -1, visit, rows)).toEqual({ go: "along", lane: -1, visit: "v1", later: false });
  });
  it("go up or down from the next lane, to the visit nearest its middle", () => {
    expect(goFromVisit("ArrowDown", false, 3, visit, rows)).toEqual({ go: "across", from: 4, down: true, minute: 465 });
    expect(goFromVisit("ArrowUp", false, 0, visit, rows)).toEqual({ go: "across", from: -1, down: false, minute: 465 });
  });
  it("go a screenful with the page keys", () => {
    expect(goFromVisit("PageDown", false, 0, visit, rows)).toEqual({ go: "across", from: 4, down: true, minute: 465 });
    expect(goFromVisit("PageUp", false, 8, visit, rows)).toEqual({ go: "across", from: 4, down: false, minute: 465 });
  });
  it("go to the lane's ends with Home and End, and the board's with Ctrl", () => {
    expect(goFromVisit("Home", false, 2, visit, rows)).toEqual({ go: "end", lane: 2, last: false });
    expect(goFromVisit("End", false, 2, visit, rows)).toEqual({ go: "end", lane: 2, last: true });
    expect(goFromVisit("Home", true, 2, visit, rows)).toEqual({ go: "across", from: -1, down: true, minute: 0 });
    expect(goFromVisit("End", true, 2, visit, rows)).toEqual({ go: "across", from: 9, down: false, minute: 10080 });
  });
  it("leave other keys to the block (Enter opens it, Tab leaves the grid)", () => {
    for (const key of ["Enter", " ", "Tab", "a"]) expect(goFromVisit(key, false, 2, visit, rows)).toBeNull();
  });
});

describe("keys on a carer's name", () => {
  it("go right to the carer's first visit", () => {
    expect(goFromName("ArrowRight", false, 3, rows)).toEqual({ visits: { go: "end", lane: 3, last: false } });
  });
  it("go up and down the names, and stop at the ends", () => {
    expect(goFromName("ArrowDown", false, 3, rows)).toEqual({ name: 4 });
    expect(goFromName("ArrowUp", false, 3, rows)).toEqual({ name: 2 });
    expect(goFromName("ArrowUp", false, 0, rows)).toBeNull();
    expect(goFromName("ArrowDown", false, 9, rows)).toBeNull();
  });
  it("go a screenful of names with the page keys, no further than the first and last", () => {
    expect(goFromName("PageDown", false, 0, rows)).toEqual({ name: 4 });
    expect(goFromName("PageDown", false, 8, rows)).toEqual({ name: 9 });
    expect(goFromName("PageUp", false, 2, rows)).toEqual({ name: 0 });
    expect(goFromName("End", true, 2, rows)).toEqual({ name: 9 });
    expect(goFromName("Home", false, 2, rows)).toBeNull();
  });
});
