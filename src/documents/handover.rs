//! The handover sheet: what the person taking over (office → on call at
//! 17:00, on call → office at 08:00) must know for the period ahead — who
//! is on call, visits still without a carer, time-critical calls, carers
//! off, clients in hospital, open incidents and notifications, the night's
//! calls and follow-ups, people still to tell, what changed since the last
//! handover, and, first when they apply, the clocks changing and a rota
//! made less than a week ahead. Pure: built from `HandoverFacts`.

use super::facts::{day_clock, moment, OnCallContact, SheetVisit};
use super::model::{Document, Entry, Part, Section};
use super::runsheet::{on_call_entries, NOBODY_ON_CALL};
use crate::incidents::view::{IncidentRow, WaitingNotification};
use crate::oncall::CallEntry;
use crate::people::common::text_enum;
use crate::rota::timeline::clock_changes;
use crate::rota::{MadeAhead, ToTellRow};
use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};
use chrono_tz::Europe::London;

text_enum!(Direction {
    OfficeToOnCall = "office_to_on_call": "Office to on call",
    OnCallToOffice = "on_call_to_office": "On call to office",
});

impl Direction {
    /// The usual handover at this time of day: the office hands over from
    /// the afternoon, on call hands back in the morning.
    pub fn usual_at(at: DateTime<Utc>) -> Direction {
        let hour = at.with_timezone(&London).hour();
        if (5..13).contains(&hour) {
            Direction::OnCallToOffice
        } else {
            Direction::OfficeToOnCall
        }
    }

    /// Until when the receiver holds the agency: the next 08:00 for on call,
    /// the next 17:00 for the office (London).
    pub fn covers_until(self, at: DateTime<Utc>) -> DateTime<Utc> {
        let local = at.with_timezone(&London);
        let hour = match self {
            Direction::OfficeToOnCall => 8,
            Direction::OnCallToOffice => 17,
        };
        let time = NaiveTime::from_hms_opt(hour, 0, 0).expect("a valid hour");
        let mut date = local.date_naive();
        loop {
            let (end, _) = crate::rota::plan::london_instant(date, time);
            if end > at + Duration::minutes(30) {
                return end;
            }
            date = date.succ_opt().expect("a date before the end of time");
        }
    }
}

/// A carer off during the period.
#[derive(Debug, Clone, PartialEq)]
pub struct AbsentCarer {
    pub name: String,
    pub phone: String,
    /// "Sickness from 06:30 on Tue 1 Dec to Thu 3 Dec" (`people::absence_period`)
    pub what: String,
}

/// A client not receiving care as usual.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientAway {
    pub name: String,
    pub status: String,
    pub since: String,
    pub expected_back: String,
}

/// One change from the change log, as a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeLine {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub what: String,
}

#[derive(Debug, Clone)]
pub struct HandoverFacts {
    pub direction: Direction,
    pub at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// When the last handover was given (or a day before `at`).
    pub since: DateTime<Utc>,
    pub on_call: Vec<OnCallContact>,
    /// Planned visits starting in `at`..`until`.
    pub visits: Vec<SheetVisit>,
    pub absent: Vec<AbsentCarer>,
    pub clients_away: Vec<ClientAway>,
    pub open_incidents: Vec<IncidentRow>,
    pub notifications: Vec<WaitingNotification>,
    pub calls: Vec<CallEntry>,
    pub follow_ups: Vec<CallEntry>,
    pub to_tell: Vec<ToTellRow>,
    pub changes: Vec<ChangeLine>,
    /// Changes left off the sheet to keep it readable.
    pub more_changes: usize,
    /// How far ahead the care packages' visits are made, from the day of `at`.
    pub made_ahead: MadeAhead,
}

fn visit_entry(v: &SheetVisit) -> Entry {
    let carers = if v.carers.is_empty() {
        "No carer yet".to_string()
    } else {
        v.carers.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(" and ")
    };
    let short = if v.needs_carer() && !v.carers.is_empty() { " (needs a second carer)" } else { "" };
    Entry::new(day_clock(v.start), format!("{} · {}", v.client_name, v.label))
        .line(format!("{} · {} min · {carers}{short}", v.times(), v.duration_min))
        .line(v.address.clone())
        .line(if v.time_critical { v.window() } else { String::new() })
        .line(super::runsheet::risk_line(v))
}

fn call_entry(c: &CallEntry) -> Entry {
    Entry::new(day_clock(c.call.at), format!("{} — {}", c.call.caller, c.call.what_happened))
        .line(if c.call.action_taken.is_empty() { String::new() } else { format!("Done: {}", c.call.action_taken) })
        .line(if c.call.follow_up.is_empty() { String::new() } else { format!("Follow-up: {}", c.call.follow_up) })
        .line(c.links.join(" · "))
        .line(format!("Taken by {}", c.call.taken_by))
        .emphasised(c.follow_up_open)
}

/// How many of each kind a section holds, for the summary line.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn handover_sheet(f: &HandoverFacts, produced: String) -> Document {
    let unallocated: Vec<&SheetVisit> = f.visits.iter().filter(|v| v.needs_carer()).collect();
    let critical: Vec<&SheetVisit> = f.visits.iter().filter(|v| v.time_critical).collect();
    let overdue = f.notifications.iter().filter(|n| n.overdue).count();
    let open_follow_ups = f.follow_ups.len();
    let summary = [
        count(f.visits.len(), "visit", "visits"),
        count(unallocated.len(), "visit without a carer", "visits without a carer"),
        count(critical.len(), "time-critical call", "time-critical calls"),
        count(f.absent.len(), "carer off", "carers off"),
        count(overdue, "notification overdue", "notifications overdue"),
        count(open_follow_ups, "follow-up open", "follow-ups open"),
        count(f.to_tell.len(), "person to tell", "people to tell"),
    ]
    .join(" · ");
    let mut sections = vec![
        Section::new("Who is on call", NOBODY_ON_CALL, on_call_entries(&f.on_call)),
        Section::new(
            "Visits still without a carer",
            if f.visits.is_empty() {
                "No visits are on the rota for this period: check it has been rolled forward."
            } else {
                "Every visit in the period has its carers."
            },
            unallocated.iter().map(|v| visit_entry(v).emphasised(true)).collect(),
        ),
        Section::new(
            "Time-critical calls",
            "No time-critical calls in the period.",
            critical.iter().map(|v| visit_entry(v).emphasised(v.needs_carer())).collect(),
        ),
        Section::new(
            "Visits to homes with risk controls",
            "No visits in the period are to homes whose risk assessment sets controls.",
            f.visits.iter().filter(|v| !v.risk_controls.is_empty()).map(visit_entry).collect(),
        ),
        Section::new(
            "Carers off",
            "Nobody is off.",
            f.absent
                .iter()
                .map(|a| Entry::new("", a.name.clone()).line(a.what.clone()).line(format!("Phone {}", a.phone)))
                .collect(),
        ),
        Section::new(
            "Clients in hospital or not receiving care",
            "Every client is at home and receiving care.",
            f.clients_away
                .iter()
                .map(|c| {
                    Entry::new(c.since.clone(), format!("{} · {}", c.name, c.status)).line(c.expected_back.clone())
                })
                .collect(),
        ),
        Section::new(
            "Notifications waiting",
            "No notifications are waiting.",
            f.notifications
                .iter()
                .map(|n| {
                    Entry::new(if n.overdue { "OVERDUE" } else { "Due" }, format!("{} · {}", n.label, n.incident))
                        .line(n.due.clone())
                        .emphasised(n.overdue)
                })
                .collect(),
        ),
        Section::new(
            "Open incidents",
            "No incidents are open.",
            f.open_incidents
                .iter()
                .map(|i| {
                    Entry::new(
                        i.occurred.clone(),
                        format!("{} · {} · {}", i.kind_label, i.severity_label, i.status_label),
                    )
                    .line(i.summary.clone())
                    .line(i.people.clone())
                })
                .collect(),
        ),
        Section::new(
            "On-call calls since the last handover",
            "No calls were logged.",
            f.calls.iter().map(call_entry).collect(),
        ),
        Section::new("Follow-ups still open", "No follow-ups are open.", f.follow_ups.iter().map(call_entry).collect()),
        Section::new(
            "People still to be told of changes",
            "Everyone has been told.",
            f.to_tell
                .iter()
                .map(|t| {
                    Entry::new(t.visit_date.format("%a %-d %b").to_string(), format!("{} · {}", t.person, t.phone))
                        .line(t.what.clone())
                })
                .collect(),
        ),
        Section::new("Changes since the last handover", "Nothing has changed.", {
            let mut entries: Vec<Entry> = f
                .changes
                .iter()
                .map(|c| Entry::new(day_clock(c.at), c.what.clone()).line(format!("by {}", c.actor)))
                .collect();
            if f.more_changes > 0 {
                entries.push(Entry::new(
                    "",
                    format!("… and {} earlier changes (see each record's history)", f.more_changes),
                ));
            }
            entries
        }),
    ];
    // Visits made less than a week ahead: whoever holds the office next
    // must roll forward before the days run out, and nothing else says so.
    if f.made_ahead.short {
        let entry = Entry::new("Roll forward", f.made_ahead.said.clone()).emphasised(true);
        sections.insert(0, Section::new("The rota ahead", "", vec![entry]));
    }
    // Twice a year the night holds a clock change: said first, as it moves
    // or repeats the small hours' visits.
    let changes = clock_changes(f.at, f.until);
    if !changes.is_empty() {
        let entries =
            changes.into_iter().map(|change| Entry::new(change.day(), change.said).emphasised(true)).collect();
        sections.insert(0, Section::new("The clocks change", "", entries));
    }
    Document {
        kind: "Handover sheet".into(),
        title: format!("{} · {}", f.direction.label(), moment(f.at)),
        produced,
        parts: vec![Part {
            heading: format!("{}: {} until {}", f.direction.label(), moment(f.at), moment(f.until)),
            subheading: format!("{summary}. Changes since {}.", moment(f.since)),
            sections,
        }],
    }
}
