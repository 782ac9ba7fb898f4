//! The on-call roster in the store: shifts typed in, patterns that make
//! shifts, handing a shift to someone else or swapping two, and the roster
//! with its coverage gaps for a period.

use super::roster::{coverage_gaps, merge, uncovered, CoverageGap, OnCallPattern, OnCallShift, Tier};
use crate::access::Operation;
use crate::error::{Error, FieldErrors, Result};
use crate::people::common::{self as check, Weekday};
use crate::people::common::{london_text, read_london_moment};
use crate::rota::plan::london_date;
use crate::store::{instant_text, Store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The longest stretch a pattern may fill at once, so a slip of the year
/// does not make a thousand shifts.
pub const MAX_PATTERN_DAYS: i64 = 366;

/// A shift as typed: London wall-clock date-and-times ("2026-11-24T17:00").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct ShiftInput {
    pub id: Option<Uuid>,
    pub person: String,
    pub phone: String,
    pub tier: Option<Tier>,
    pub starts_at: String,
    pub ends_at: String,
    pub note: String,
}

/// A recurring shift as typed: one or more weekdays, wall-clock times.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct PatternInput {
    pub person: String,
    pub phone: String,
    pub tier: Option<Tier>,
    pub weekdays: Vec<Weekday>,
    pub start_time: String,
    pub end_time: String,
    pub every_weeks: Option<f64>,
    pub from_date: String,
    pub until_date: String,
}

fn person_and_phone(e: &mut FieldErrors, person: &str, phone: &str) -> (String, String) {
    (check::require_text(e, "person", person, "who is on call"), check::phone(e, "phone", phone, true))
}

fn tier(e: &mut FieldErrors, tier: Option<Tier>) -> Tier {
    tier.unwrap_or_else(|| {
        e.add("tier", "Choose first or second line");
        Tier::First
    })
}

fn load_shift(conn: &Connection, id: Uuid) -> Result<OnCallShift> {
    crate::store::find_live(conn, "on_call_shifts", id, "On-call shift", OnCallShift::from_row)
}

/// The form for a stored shift, as typed.
pub fn shift_form(conn: &Connection, id: Uuid) -> Result<ShiftInput> {
    let s = load_shift(conn, id)?;
    Ok(ShiftInput {
        id: Some(s.id),
        person: s.person,
        phone: s.phone,
        tier: Some(s.tier),
        starts_at: london_text(s.starts_at),
        ends_at: london_text(s.ends_at),
        note: s.note,
    })
}

/// Adds or changes one shift.
pub fn save_shift(store: &mut Store, input: &ShiftInput) -> Result<Uuid> {
    let mut e = FieldErrors::new();
    let (person, phone) = person_and_phone(&mut e, &input.person, &input.phone);
    let tier = tier(&mut e, input.tier);
    let starts = read_london_moment(&mut e, "starts_at", &input.starts_at);
    let ends = read_london_moment(&mut e, "ends_at", &input.ends_at);
    if let (Some(starts), Some(ends)) = (starts, ends) {
        if ends <= starts {
            e.add("ends_at", "The shift must end after it starts");
        } else if ends - starts > Duration::days(7) {
            e.add("ends_at", "A shift is at most 7 days: make two shifts for longer");
        }
    }
    let before = input.id.map(|id| load_shift(store.read(), id)).transpose()?;
    let shift = e.finish(OnCallShift {
        id: input.id.unwrap_or_else(crate::ids::new_id),
        person,
        phone,
        tier,
        starts_at: starts.unwrap_or_default(),
        ends_at: ends.unwrap_or_default(),
        pattern_id: before.as_ref().and_then(|b| b.pattern_id),
        note: input.note.trim().to_string(),
    })?;
    store.write(Operation::EditOnCallRoster, |changes| match &before {
        Some(before) => changes.update(before, &shift).map(|_| ()),
        None => changes.insert(&shift),
    })?;
    Ok(shift.id)
}

/// Saves a pattern per weekday chosen and the shifts each makes. Returns
/// how many shifts were made.
pub fn save_pattern(store: &mut Store, input: &PatternInput) -> Result<usize> {
    let mut e = FieldErrors::new();
    let (person, phone) = person_and_phone(&mut e, &input.person, &input.phone);
    let tier = tier(&mut e, input.tier);
    if input.weekdays.is_empty() {
        e.add("weekdays", "Choose at least one day");
    }
    let start_time = check::required_time(&mut e, "start_time", &input.start_time);
    let end_time = check::required_time(&mut e, "end_time", &input.end_time);
    let every_weeks =
        check::whole(&mut e, "every_weeks", input.every_weeks.or(Some(1.0)), (1, 8), "every how many weeks");
    let from = check::required_date(&mut e, "from_date", &input.from_date, "the first day");
    let until = check::required_date(&mut e, "until_date", &input.until_date, "the last day");
    if let (Some(from), Some(until)) = (from, until) {
        if until < from {
            e.add("until_date", "The last day cannot be before the first day");
        } else if (until - from).num_days() >= MAX_PATTERN_DAYS {
            e.add("until_date", format!("Fill at most {MAX_PATTERN_DAYS} days at once"));
        }
    }
    let patterns: Vec<OnCallPattern> = input
        .weekdays
        .iter()
        .map(|weekday| OnCallPattern {
            id: crate::ids::new_id(),
            person: person.clone(),
            phone: phone.clone(),
            tier,
            weekday: *weekday,
            start_time: start_time.unwrap_or_default(),
            end_time: end_time.unwrap_or_default(),
            every_weeks: every_weeks as u8,
            from_date: from.unwrap_or_default(),
            until_date: until.unwrap_or_default(),
        })
        .collect();
    let patterns = e.finish(patterns)?;
    store.write(Operation::EditOnCallRoster, |changes| {
        let mut made = 0;
        for pattern in &patterns {
            changes.insert(pattern)?;
            for (starts_at, ends_at) in pattern.occurrences() {
                changes.insert(&OnCallShift {
                    id: crate::ids::new_id(),
                    person: pattern.person.clone(),
                    phone: pattern.phone.clone(),
                    tier: pattern.tier,
                    starts_at,
                    ends_at,
                    pattern_id: Some(pattern.id),
                    note: String::new(),
                })?;
                made += 1;
            }
        }
        Ok(made)
    })
}

/// Gives a shift to someone else ("Ann is covering: Raj is at a wedding").
pub fn cover_shift(store: &mut Store, shift_id: Uuid, person: &str, phone: &str, reason: &str) -> Result<()> {
    let before = load_shift(store.read(), shift_id)?;
    let mut e = FieldErrors::new();
    let (person, phone) = person_and_phone(&mut e, person, phone);
    let reason = check::require_text(&mut e, "reason", reason, "why the shift changes hands");
    let after = e.finish(OnCallShift {
        note: format!("Covering for {}: {reason}", before.person),
        person,
        phone,
        ..before.clone()
    })?;
    store.write(Operation::CoverOnCall, |changes| changes.update(&before, &after).map(|_| ()))
}

/// Swaps the people on two shifts, each keeping its own times.
pub fn swap_shifts(store: &mut Store, a: Uuid, b: Uuid) -> Result<()> {
    let (first, second) = (load_shift(store.read(), a)?, load_shift(store.read(), b)?);
    if first.person == second.person {
        return Err(Error::Conflict(format!("Both shifts are already {}'s", first.person)));
    }
    let swapped = |shift: &OnCallShift, with: &OnCallShift| OnCallShift {
        person: with.person.clone(),
        phone: with.phone.clone(),
        note: format!("Swapped with {}", shift.person),
        ..shift.clone()
    };
    let (new_first, new_second) = (swapped(&first, &second), swapped(&second, &first));
    store.write(Operation::CoverOnCall, |changes| {
        changes.update(&first, &new_first)?;
        changes.update(&second, &new_second)?;
        Ok(())
    })
}

/// Takes a shift off the roster.
pub fn remove_shift(store: &mut Store, shift_id: Uuid) -> Result<()> {
    let shift = load_shift(store.read(), shift_id)?;
    store.write(Operation::EditOnCallRoster, |changes| changes.tombstone(&shift))
}

/// Shifts that overlap `from`..`until`, in start order.
pub fn shifts_between(conn: &Connection, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<OnCallShift>> {
    // A shift is at most 7 days long, so one starting earlier than that
    // cannot reach into the period: the index on starts_at does the work.
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM on_call_shifts WHERE deleted_at IS NULL AND starts_at >= ?1 AND starts_at < ?2 AND ends_at > ?3
         ORDER BY starts_at, tier, person",
    )?;
    let rows = stmt.query_map(
        [instant_text(from - Duration::days(7)), instant_text(until), instant_text(from)],
        OnCallShift::from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When each planned visit that could reach time with no first-line cover
/// runs, from `from` to `to` (London dates). A visit still waiting for a
/// carer counts: someone will be out on it, and the on-call person is who
/// finds them. A visit wholly inside cover makes no gap and changes no
/// gap's count (see `coverage_gaps`), so only the dates on which a visit
/// reaching uncovered time can start are read: with a roster that covers
/// most hours, a few days of the four weeks Today looks at.
fn working_spans(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    first_line: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let longest = Duration::minutes(i64::from(crate::rota::LONGEST_VISIT_MIN));
    let open =
        uncovered(&merge(first_line.to_vec()), london_start(from), london_start(to + Duration::days(1)) + longest);
    // The London dates to read, each once: those on which a visit that runs
    // into an uncovered stretch may start.
    let mut dates: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (start, end) in open {
        let (first, last) = (london_date(start - longest).max(from), london_date(end).min(to));
        match dates.last_mut() {
            Some(previous) if first <= previous.1 + Duration::days(1) => previous.1 = previous.1.max(last),
            _ if first <= last => dates.push((first, last)),
            _ => {}
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT v.starts_at, v.duration_min FROM visits v INDEXED BY visits_by_date
         WHERE v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date BETWEEN ?1 AND ?2",
    )?;
    let mut work = Vec::new();
    for (first, last) in dates {
        let rows = stmt.query_map([first.to_string(), last.to_string()], |row| {
            let start = crate::store::row_instant(row, 0)?;
            Ok((start, start + Duration::minutes(row.get::<_, i64>(1)?)))
        })?;
        work.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    Ok(work)
}

/// The roster for London dates `from`..=`to`: every shift, who is on call
/// at `now`, and the gaps where carers work with no first-line cover.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Roster {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub shifts: Vec<OnCallShift>,
    /// The recurring patterns that run into the period.
    pub patterns: Vec<OnCallPattern>,
    /// Covering `now`, first line first.
    pub on_call_now: Vec<OnCallShift>,
    pub gaps: Vec<CoverageGap>,
}

pub fn roster(conn: &Connection, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<Roster> {
    let (start, end) = (london_start(from), london_start(to + Duration::days(1)));
    let shifts = shifts_between(conn, start, end)?;
    let first_line: Vec<_> =
        shifts.iter().filter(|s| s.tier == Tier::First).map(|s| (s.starts_at, s.ends_at)).collect();
    let work = working_spans(conn, from, to, &first_line)?;
    let mut on_call_now = shifts_between(conn, now, now + Duration::seconds(1))?;
    on_call_now.retain(|s| s.covers(now));
    on_call_now.sort_by_key(|s| s.tier != Tier::First);
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM on_call_patterns WHERE deleted_at IS NULL AND from_date <= ?2 AND until_date >= ?1
         ORDER BY tier, weekday, start_time, person",
    )?;
    let patterns = stmt
        .query_map([from.to_string(), to.to_string()], OnCallPattern::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Roster { from, to, gaps: coverage_gaps(&work, &first_line), on_call_now, shifts, patterns })
}

/// Midnight at the start of a London date, as an instant.
fn london_start(date: NaiveDate) -> DateTime<Utc> {
    crate::rota::plan::london_instant(date, chrono::NaiveTime::MIN).0
}

/// How far ahead the dashboard looks for gaps in the on-call roster.
pub const COVERAGE_WEEKS: i64 = 4;

/// What the Today page says about on call.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OnCallSummary {
    /// Covering now, first line first.
    pub on_call_now: Vec<OnCallShift>,
    /// Gaps in first-line cover over the coming weeks, soonest first.
    pub gaps: Vec<CoverageGap>,
    pub weeks_checked: i64,
    pub open_follow_ups: u32,
    /// The clocks changing in the next 24 hours, each as "Sun 25 Oct: Clocks
    /// go back at 02:00: …": twice a year, the night's small-hours visits
    /// move or come twice.
    pub clock_changes: Vec<String>,
}

pub fn summary(conn: &Connection, today: NaiveDate, now: DateTime<Utc>) -> Result<OnCallSummary> {
    let roster = roster(conn, today, today + Duration::weeks(COVERAGE_WEEKS), now)?;
    let gaps = roster.gaps.into_iter().filter(|g| g.until > now).collect();
    Ok(OnCallSummary {
        on_call_now: roster.on_call_now,
        gaps,
        weeks_checked: COVERAGE_WEEKS,
        open_follow_ups: super::calls::open_follow_ups(conn)?.len() as u32,
        clock_changes: crate::rota::timeline::clock_changes(now, now + Duration::hours(24))
            .into_iter()
            .map(|change| format!("{}: {}", change.day(), change.said))
            .collect(),
    })
}
