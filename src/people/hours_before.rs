//! A carer's hours in the weeks before the agency's records in Caredesk
//! begin. An agency new to Caredesk holds no record of those weeks, so the
//! 48-hour average is taken over the few weeks it does hold
//! (`PeriodKind::SinceRecords`), and one long week weighs as much as a
//! month. A manager types each earlier week's hours in from the old rota or
//! payroll; the rota's rule and the carer's page then count them as if
//! Caredesk had held those weeks, and the average runs over the full 17.
//!
//! Only weeks before the agency's first week of work in Caredesk can be
//! entered (from then on its visits count), and only weeks the average can
//! still reach: the 16 before this one, from the week the carer started.

use super::working_time::{first_week_of_records, records_from, REFERENCE_WEEKS};
use super::Carer;
use crate::access::Operation;
use crate::error::{FieldErrors, Result};
use crate::rota::week::monday_of;
use crate::store::{find_live, row_date, row_uuid, Record, Store};
use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The most a week can hold.
const WEEK_MIN: u32 = 7 * 24 * 60;

/// One earlier week's work, visits and travel together, as entered.
#[derive(Debug, Clone, PartialEq)]
pub struct HoursBefore {
    pub id: Uuid,
    pub carer_id: Uuid,
    /// The Monday.
    pub week: NaiveDate,
    pub minutes: u32,
}

impl Record for HoursBefore {
    const ENTITY: &'static str = "carer_hours_before_caredesk";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.carer_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        crate::record_fields!(self; carer_id, week, minutes)
    }
}

/// One week of the form: the Monday, and the hours as typed ("37.5",
/// "37:30"); empty means nothing entered for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekHoursInput {
    pub week: NaiveDate,
    pub hours: String,
}

/// What the carer's page offers: the weeks that can be entered, oldest
/// first, with what is entered for each.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HoursBeforeForm {
    /// The Monday of the agency's first week of work in Caredesk; `None`
    /// while it holds none.
    pub records_from: Option<NaiveDate>,
    /// Empty when there is nothing to enter: the agency's records cover the
    /// 17 weeks, or the carer started since they begin.
    pub weeks: Vec<WeekHoursInput>,
}

/// Hours as a person types them: "37", "37.5", "37,5", "37:30", "37h30",
/// "37 h 30 min". `Ok(None)` for an empty field.
pub fn parse_hours(text: &str) -> std::result::Result<Option<u32>, String> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || format!("\"{}\" is not a number of hours: write 37.5 or 37:30", text);
    let compact: String = text.replace("min", "").replace("hours", "h").replace(char::is_whitespace, "");
    let minutes = match compact.split_once([':', 'h']) {
        Some((h, m)) => {
            let h: u32 = h.parse().map_err(|_| bad())?;
            let m: u32 = if m.is_empty() { 0 } else { m.parse().map_err(|_| bad())? };
            if m >= 60 {
                return Err(format!("\"{text}\": the minutes after the hours must be under 60"));
            }
            h.checked_mul(60).and_then(|h| h.checked_add(m)).ok_or_else(bad)?
        }
        None => {
            let hours: f64 = compact.replace(',', ".").parse().map_err(|_| bad())?;
            if !hours.is_finite() || hours < 0.0 {
                return Err(bad());
            }
            // Saturates far above a week, which is refused below.
            (hours * 60.0).round() as u32
        }
    };
    if minutes > WEEK_MIN {
        return Err("A week has 168 hours: enter the hours worked in this week alone".into());
    }
    Ok(Some(minutes))
}

/// "37", or "37:30" where there are minutes.
pub fn hours_text(minutes: u32) -> String {
    match minutes % 60 {
        0 => (minutes / 60).to_string(),
        m => format!("{}:{m:02}", minutes / 60),
    }
}

/// The weeks whose hours can be entered for `carer` today: from the later
/// of 16 weeks before this one and the week they started, up to the
/// agency's first week of work in Caredesk (or this week while there is
/// none), and not past the week they left.
pub fn open_weeks(carer: &Carer, records_from: Option<NaiveDate>, today: NaiveDate) -> Vec<NaiveDate> {
    let this_week = monday_of(today);
    let first = (this_week - Duration::weeks(REFERENCE_WEEKS - 1)).max(monday_of(carer.started_on));
    let end = records_from.map_or(this_week, monday_of).min(this_week);
    let last = carer.left_on.map_or(end, |left| end.min(monday_of(left) + Duration::weeks(1)));
    std::iter::successors(Some(first), |w| Some(*w + Duration::weeks(1))).take_while(|w| *w < last).collect()
}

fn entered(conn: &Connection, carer_id: Uuid) -> Result<Vec<HoursBefore>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, carer_id, week, minutes FROM carer_hours_before_caredesk
         WHERE carer_id = ?1 AND deleted_at IS NULL ORDER BY week",
    )?;
    let rows = stmt.query_map([carer_id.to_string()], |r| {
        Ok(HoursBefore { id: row_uuid(r, 0)?, carer_id: row_uuid(r, 1)?, week: row_date(r, 2)?, minutes: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The form for `carer_id`'s earlier weeks, as stored.
pub fn hours_before_form(conn: &Connection, carer_id: Uuid, today: NaiveDate) -> Result<HoursBeforeForm> {
    Ok(CarerWeeks::read(conn, carer_id, first_week_of_records(conn)?, today)?.form())
}

/// How far the agency has entered its carers' hours from before Caredesk,
/// while its own records are younger than the 17 weeks the average looks
/// back over: the Today page asks for the rest.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct EarlierHoursStatus {
    /// The Monday of the agency's first week of work in Caredesk.
    pub records_from: NaiveDate,
    /// Weeks of its own records among the 17 ending with this one.
    pub weeks_held: u32,
    /// Carers working now who started before the records begin.
    pub carers: u32,
    /// Of whom, those with hours entered for an earlier week the average reaches.
    pub carers_entered: u32,
}

/// `None` once the agency's records reach back 17 weeks (or it has none),
/// or every carer who could have earlier hours has some entered.
pub fn earlier_hours_status(conn: &Connection, today: NaiveDate) -> Result<Option<EarlierHoursStatus>> {
    let this_week = monday_of(today);
    let window = this_week - Duration::weeks(REFERENCE_WEEKS - 1);
    let Some(records_from) = records_from(conn, window)?.filter(|r| *r > window) else {
        return Ok(None);
    };
    let (carers, carers_entered): (u32, u32) = conn.query_row(
        "SELECT count(*), count(*) FILTER (WHERE EXISTS (
                  SELECT 1 FROM carer_hours_before_caredesk h
                  WHERE h.carer_id = c.id AND h.deleted_at IS NULL AND h.week >= ?2 AND h.week < ?3))
         FROM carers c
         WHERE c.deleted_at IS NULL AND (c.left_on IS NULL OR c.left_on >= ?1) AND c.started_on < ?3",
        [today.to_string(), window.to_string(), records_from.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let weeks_held = ((this_week - records_from).num_weeks() + 1).clamp(1, REFERENCE_WEEKS) as u32;
    Ok((carers_entered < carers).then_some(EarlierHoursStatus { records_from, weeks_held, carers, carers_entered }))
}

/// What one carer's weeks can take, read once and then checked week by week
/// (by the carer's page, and by each line of an import).
pub(crate) struct CarerWeeks {
    carer: Carer,
    records_from: Option<NaiveDate>,
    open: Vec<NaiveDate>,
    stored: Vec<HoursBefore>,
    today: NaiveDate,
}

/// One week as typed, checked: the stored row it replaces and the row it
/// becomes (none when the field was emptied).
pub(crate) struct WeekChange {
    pub before: Option<HoursBefore>,
    pub after: Option<HoursBefore>,
}

impl CarerWeeks {
    /// `records_from`: the agency's first week of work (`working_time::first_week_of_records`).
    pub(crate) fn read(
        conn: &Connection,
        carer_id: Uuid,
        records_from: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self> {
        let carer = find_live(conn, "carers", carer_id, "Carer", Carer::from_row)?;
        let open = open_weeks(&carer, records_from, today);
        Ok(CarerWeeks { stored: entered(conn, carer_id)?, carer, records_from, open, today })
    }

    /// The weeks that can be entered, with what is stored for each.
    fn form(&self) -> HoursBeforeForm {
        let stored = |week| self.stored.iter().find(|h| h.week == week).map(|h| hours_text(h.minutes));
        let weeks = self.open.iter().map(|&week| WeekHoursInput { week, hours: stored(week).unwrap_or_default() });
        HoursBeforeForm { records_from: self.records_from, weeks: weeks.collect() }
    }

    /// The change `hours` typed for `week` makes, or why it cannot be made:
    /// about the week ("week") or the hours typed ("hours").
    pub(crate) fn check(
        &self,
        week: NaiveDate,
        hours: &str,
    ) -> std::result::Result<WeekChange, (&'static str, String)> {
        if !self.open.contains(&week) {
            return Err(("week", closed_week(week, &self.carer, self.records_from, self.today)));
        }
        let old = self.stored.iter().find(|h| h.week == week);
        let after = parse_hours(hours).map_err(|message| ("hours", message))?.map(|minutes| HoursBefore {
            id: old.map_or_else(crate::ids::new_id, |h| h.id),
            carer_id: self.carer.id,
            week,
            minutes,
        });
        Ok(WeekChange { before: old.cloned(), after })
    }
}

/// Saves the weeks given (an emptied field takes that week's entry away;
/// weeks not given are left as they are), all or nothing, through the
/// write path. Returns the form as now stored.
pub fn save_hours_before(store: &mut Store, carer_id: Uuid, weeks: &[WeekHoursInput]) -> Result<HoursBeforeForm> {
    let today = store.today();
    let conn = store.read();
    let carer_weeks = CarerWeeks::read(conn, carer_id, first_week_of_records(conn)?, today)?;
    let mut e = FieldErrors::new();
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for (i, input) in weeks.iter().enumerate() {
        let field = format!("weeks[{i}].hours");
        if weeks[..i].iter().any(|w| w.week == input.week) {
            e.add(&field, format!("The week of {} is given twice", input.week.format("%a %-d %b %Y")));
            continue;
        }
        match carer_weeks.check(input.week, &input.hours) {
            Err((_, message)) => e.add(&field, message),
            Ok(change) => {
                before.extend(change.before);
                after.extend(change.after);
            }
        }
    }
    e.finish(())?;
    store.write(Operation::EditPeople, |changes| changes.replace_children(&before, &after))?;
    hours_before_form(store.read(), carer_id, today)
}

/// Why a week cannot be entered, in the person's terms.
fn closed_week(week: NaiveDate, carer: &Carer, records_from: Option<NaiveDate>, today: NaiveDate) -> String {
    let day = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
    let name = carer.name();
    let this_week = monday_of(today);
    match records_from.map(monday_of) {
        Some(first) if week >= first => format!(
            "Caredesk holds the agency's work from the week of {}: the visits of the week of {} count already",
            day(first),
            day(week)
        ),
        _ if week >= this_week => {
            format!("The week of {} has not finished: only earlier weeks can be entered", day(week))
        }
        _ if week < monday_of(carer.started_on) => {
            format!("{name} started on {}, after the week of {}", day(carer.started_on), day(week))
        }
        _ if carer.left_on.is_some_and(|left| week > left) => format!("{name} had left by the week of {}", day(week)),
        _ => format!(
            "The week of {} is more than 16 weeks before this one: the 48-hour average no longer reaches it",
            day(week)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_as_a_manager_types_them_from_payroll() {
        for (typed, minutes) in [
            ("37", 2220),
            ("37.5", 2250),
            ("37,5", 2250),
            ("37:30", 2250),
            ("37h30", 2250),
            ("37 h 30 min", 2250),
            ("37h", 2220),
            (" 0 ", 0),
            ("168", 10080),
        ] {
            assert_eq!(parse_hours(typed), Ok(Some(minutes)), "{typed:?}");
        }
        assert_eq!(parse_hours("  "), Ok(None), "an empty field is no entry");
        for refused in ["abc", "-3", "37:75", "168.5", "169:00", "1e9", "NaN"] {
            assert!(parse_hours(refused).is_err(), "{refused:?} should be refused");
        }
        assert_eq!(hours_text(2250), "37:30");
        assert_eq!(hours_text(2220), "37");
    }
}
