//! The plain facts documents are built from, gathered by `gather` and
//! handed to the pure builders (`runsheet`, `handover`, `pack`).

use crate::people::Transport;
use crate::travel::GeoPoint;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::London;
use uuid::Uuid;

/// A planned visit as a printed sheet needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetVisit {
    pub id: Uuid,
    pub start: DateTime<Utc>,
    pub duration_min: u32,
    /// The care package's name, or "Visit" for a one-off.
    pub label: String,
    pub client_id: Uuid,
    pub client_name: String,
    /// One line: "12 Crescent Lane, Meole Brace, Shrewsbury SY3 9AA".
    pub address: String,
    /// The postcode's outward code ("SY3"), the rota's areas.
    pub area: String,
    /// The client's town, to say where an area is ("Wem").
    pub town: String,
    pub place: GeoPoint,
    pub client_phone: String,
    /// Key safe and how to get in: printed only where a carer needs it.
    pub access_notes: String,
    pub tasks: Vec<String>,
    pub carers_required: u8,
    /// Allocated carers, slot 1 first.
    pub carers: Vec<(Uuid, String)>,
    pub time_critical: bool,
    pub flex_min: u32,
    /// Why the time differs on a clock-change night.
    pub time_note: String,
    /// The controls of the client's risk assessment, as sentences.
    pub risk_controls: Vec<String>,
    /// The assessment asks the carer to ring in on arrival and leaving.
    pub check_in: bool,
}

impl SheetVisit {
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::minutes(i64::from(self.duration_min))
    }

    pub fn needs_carer(&self) -> bool {
        self.carers.len() < usize::from(self.carers_required)
    }

    /// "07:30–08:00", London; across a clock change each end says its
    /// zone ("01:30 BST–01:00 GMT"), so the times do not look backwards.
    pub fn times(&self) -> String {
        let (start, end) = (self.start.with_timezone(&London), self.end().with_timezone(&London));
        if start.offset() == end.offset() {
            format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
        } else {
            format!("{}–{}", start.format("%H:%M %Z"), end.format("%H:%M %Z"))
        }
    }

    /// For a time-critical call: the window it must start in.
    pub fn window(&self) -> String {
        let flex = Duration::minutes(i64::from(self.flex_min));
        if self.flex_min == 0 {
            format!("Time-critical: start at {} exactly", clock(self.start))
        } else {
            format!("Time-critical: start between {} and {}", clock(self.start - flex), clock(self.start + flex))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetCarer {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
    pub transport: Transport,
    pub home: GeoPoint,
}

/// Someone on call for part of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct OnCallContact {
    pub person: String,
    pub phone: String,
    /// "First line", "Second line".
    pub tier: String,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl OnCallContact {
    /// "Tue 17:00–Wed 08:00", or "Tue 08:00–18:00" within a day.
    pub fn span(&self) -> String {
        let (from, until) = (self.from.with_timezone(&London), self.until.with_timezone(&London));
        if from.date_naive() == until.date_naive() {
            format!("{}–{}", day_clock(self.from), clock(self.until))
        } else {
            format!("{}–{}", day_clock(self.from), day_clock(self.until))
        }
    }
}

/// "07:30" on the London clock.
pub fn clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%H:%M").to_string()
}

/// "Tue 07:30" on the London clock.
pub fn day_clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%a %H:%M").to_string()
}

/// "Tue 1 Dec 07:30" on the London clock.
pub fn day_date_clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%a %-d %b %H:%M").to_string()
}

/// "Tue 1 Dec 2026 at 07:30", London.
pub fn moment(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%a %-d %b %Y at %H:%M").to_string()
}

/// "2 h 05 min", "45 min".
pub fn hours_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// "2026-12-01 17:00" (or with a `T`) on the London clock, as an instant,
/// read as every form reads one (`people::common::read_london_moment`).
pub fn parse_london_moment(text: &str) -> crate::Result<DateTime<Utc>> {
    let mut e = crate::error::FieldErrors::new();
    let at = crate::people::common::read_london_moment(&mut e, "at", text);
    e.finish(at.unwrap_or_default())
}
