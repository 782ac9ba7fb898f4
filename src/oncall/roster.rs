//! The on-call roster as plain values: shifts, recurring patterns turned
//! into shifts, and the coverage check (product brief §5). Pure: no
//! database, no clock.
//!
//! Every period in which a visit is planned must have a first-line on-call
//! person (a visit still waiting for a carer counts too). Times are UTC instants throughout; the London wall clock
//! only enters when a pattern says "17:00 to 09:00", so a shift on a
//! clock-change night is an hour longer or shorter, as it is in real life.

use crate::people::common::text_enum;
use crate::people::Weekday;
use crate::record_fields;
use crate::rota::plan::london_instant;
use crate::store::{row_date, row_enum, row_instant, row_opt_uuid, row_time, row_uuid, Record};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use rusqlite::types::Value;
use rusqlite::Row;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

text_enum!(Tier {
    First = "first": "First line",
    Second = "second": "Second line",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OnCallShift {
    pub id: Uuid,
    pub person: String,
    pub phone: String,
    pub tier: Tier,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub ends_at: DateTime<Utc>,
    pub pattern_id: Option<Uuid>,
    pub note: String,
}

impl Record for OnCallShift {
    const ENTITY: &'static str = "on_call_shifts";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; person, phone, tier, starts_at, ends_at, pattern_id, note)
    }
}

impl OnCallShift {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            person: row.get("person")?,
            phone: row.get("phone")?,
            tier: row_enum(row, "tier", Tier::parse)?,
            starts_at: row_instant(row, "starts_at")?,
            ends_at: row_instant(row, "ends_at")?,
            pattern_id: row_opt_uuid(row, "pattern_id")?,
            note: row.get("note")?,
        })
    }

    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.ends_at
    }
}

/// "Every Friday 17:00 to Monday 09:00" is three patterns; "every weekday
/// evening" five. An end not after the start runs into the next day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OnCallPattern {
    pub id: Uuid,
    pub person: String,
    pub phone: String,
    pub tier: Tier,
    pub weekday: Weekday,
    #[ts(type = "string")]
    pub start_time: NaiveTime,
    #[ts(type = "string")]
    pub end_time: NaiveTime,
    pub every_weeks: u8,
    pub from_date: NaiveDate,
    pub until_date: NaiveDate,
}

impl Record for OnCallPattern {
    const ENTITY: &'static str = "on_call_patterns";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; person, phone, tier, weekday, start_time, end_time, every_weeks, from_date, until_date)
    }
}

impl OnCallPattern {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            person: row.get("person")?,
            phone: row.get("phone")?,
            tier: row_enum(row, "tier", Tier::parse)?,
            weekday: row_enum(row, "weekday", Weekday::parse)?,
            start_time: row_time(row, "start_time")?,
            end_time: row_time(row, "end_time")?,
            every_weeks: row.get("every_weeks")?,
            from_date: row_date(row, "from_date")?,
            until_date: row_date(row, "until_date")?,
        })
    }

    /// The (start, end) instants of each shift the pattern makes, in date
    /// order: on its weekday, every `every_weeks` weeks counted from the
    /// first such weekday on or after `from_date`.
    pub fn occurrences(&self) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let offset = (7 + self.weekday_index() - self.from_date.weekday().num_days_from_monday() as i64) % 7;
        let first = self.from_date + Duration::days(offset);
        let step = Duration::weeks(i64::from(self.every_weeks.max(1)));
        let mut out = Vec::new();
        let mut date = first;
        while date <= self.until_date {
            let end_date = if self.end_time <= self.start_time { date + Duration::days(1) } else { date };
            out.push((london_instant(date, self.start_time).0, london_instant(end_date, self.end_time).0));
            date += step;
        }
        out
    }

    fn weekday_index(&self) -> i64 {
        Weekday::ALL.iter().position(|d| *d == self.weekday).unwrap_or(0) as i64
    }
}

/// A stretch of time with visits planned and no first-line on-call person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CoverageGap {
    #[ts(type = "string")]
    pub from: DateTime<Utc>,
    #[ts(type = "string")]
    pub until: DateTime<Utc>,
    /// Planned visits that start or run inside the gap.
    pub visits: u32,
}

/// Merges overlapping or touching spans into a sorted list of disjoint ones.
pub fn merge(mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    spans.sort();
    let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The stretches of `from`..`until` that no span of `covered` reaches
/// (`covered` merged, as `merge` leaves it), in order.
pub fn uncovered(
    covered: &[(DateTime<Utc>, DateTime<Utc>)],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut open = Vec::new();
    let mut cursor = from;
    for (c_start, c_end) in covered.iter().filter(|(c_start, c_end)| *c_end > from && *c_start < until) {
        if *c_start > cursor {
            open.push((cursor, *c_start));
        }
        cursor = cursor.max(*c_end);
    }
    if cursor < until {
        open.push((cursor, until));
    }
    open
}

/// Where carers are working (`work`: each planned visit's start and end)
/// and no first-line shift covers them. Touching shifts (one ends at 09:00,
/// the next starts at 09:00) leave no gap; gaps with no cover between them
/// are joined into one.
pub fn coverage_gaps(
    work: &[(DateTime<Utc>, DateTime<Utc>)],
    first_line: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<CoverageGap> {
    let covered = merge(first_line.to_vec());
    let mut gaps: Vec<CoverageGap> = Vec::new();
    for (start, end) in merge(work.to_vec()) {
        // Walk the covered spans across this working span, keeping what is left.
        let mut cursor = start;
        let from = covered.partition_point(|(_, c_end)| *c_end <= start);
        for (c_start, c_end) in covered[from..].iter().take_while(|(c_start, _)| *c_start < end) {
            if *c_start > cursor {
                gaps.push(CoverageGap { from: cursor, until: *c_start, visits: 0 });
            }
            cursor = cursor.max(*c_end);
        }
        if cursor < end {
            gaps.push(CoverageGap { from: cursor, until: end, visits: 0 });
        }
    }
    // Gaps with no cover starting between them are one stretch for the
    // person reading: "Sunday 08:00 to 21:15", not one line per visit.
    let mut joined: Vec<CoverageGap> = Vec::with_capacity(gaps.len());
    for gap in gaps {
        match joined.last_mut() {
            Some(last) if !covered.iter().any(|(c_start, c_end)| *c_start < gap.from && *c_end > last.until) => {
                last.until = gap.until;
            }
            _ => joined.push(gap),
        }
    }
    let mut gaps = joined;
    for gap in &mut gaps {
        gap.visits = work.iter().filter(|(s, e)| *s < gap.until && *e > gap.from).count() as u32;
    }
    gaps
}
