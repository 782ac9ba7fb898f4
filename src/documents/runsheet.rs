//! A carer's run sheet (work schedule) for a day or a week: the visits in
//! order with times, where, how to get in, what to do, who with, the travel
//! between them, whom to ring, and on the night the clocks change, that they
//! do; or, brief, each visit in two lines, so a week fits a page or two. One
//! carer per part, so each starts on a fresh A4 page. Also each carer's
//! visits as an iCalendar file. Pure.

use super::facts::{clock, hours_minutes, OnCallContact, SheetCarer, SheetVisit};
use super::model::{Document, Entry, Part, Section};
use crate::people::common::text_enum;
use crate::people::Transport;
use crate::rota::plan::london_date;
use crate::rota::timeline::clock_changes_on;
use crate::travel::{estimate, TravelSettings};
use chrono::{Duration, NaiveDate};
use icalendar::{Calendar, Component, Event, EventLike};
use uuid::Uuid;

/// What the sheets cover.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: NaiveDate,
    pub days: u32,
}

impl Period {
    pub fn dates(&self) -> Vec<NaiveDate> {
        self.from.iter_days().take(self.days as usize).collect()
    }

    pub fn title(&self) -> String {
        let dates = self.dates();
        match (dates.first(), dates.last()) {
            (Some(a), Some(b)) if a != b => format!("{} to {}", a.format("%a %-d %b"), b.format("%a %-d %b %Y")),
            (Some(a), _) => a.format("%a %-d %b %Y").to_string(),
            _ => String::new(),
        }
    }
}

text_enum!(
    /// How much a sheet says of each visit, and the document's name: in full,
    /// everything a carer needs at the door (travel, getting in, tasks,
    /// phone, risk controls); brief, one line under each visit (where, and
    /// who with), a week on a page or two for the fridge or the car.
    SheetDetail {
        Full = "full": "Run sheet",
        Brief = "brief": "Run sheet, one line a visit",
    }
);

fn travel_phrase(mode: Transport) -> &'static str {
    match mode {
        Transport::Car => "by car",
        Transport::Foot => "on foot",
        Transport::Bicycle => "by bicycle",
        Transport::PublicTransport => "by bus or train",
    }
}

/// Who else is on a double-up, or that nobody is yet; empty for one carer.
fn double_up_line(carer: &SheetCarer, visit: &SheetVisit) -> String {
    let partners: Vec<&str> = visit.carers.iter().filter(|(id, _)| *id != carer.id).map(|(_, n)| n.as_str()).collect();
    match (visit.carers_required, partners.as_slice()) {
        (2, []) => "Double-up: the second carer is not allocated yet — ring the office".to_string(),
        (2, names) => format!("Double-up with {}", names.join(", ")),
        _ => String::new(),
    }
}

/// One visit on a brief sheet: where, and anything that changes how it is
/// done (a partner, a time it must start in), on one line.
fn brief_entry(carer: &SheetCarer, visit: &SheetVisit) -> Entry {
    let mut line = vec![visit.address.clone(), double_up_line(carer, visit)];
    if visit.time_critical {
        line.push(visit.window());
    }
    line.retain(|part| !part.is_empty());
    Entry::new(visit.times(), format!("{} · {}", visit.client_name, visit.label))
        .line(line.join(" · "))
        .emphasised(visit.time_critical)
}

/// One visit as it reads on `carer`'s sheet, with the leg that gets there.
fn visit_entry(carer: &SheetCarer, visit: &SheetVisit, travel_line: String) -> Entry {
    let double_up = double_up_line(carer, visit);
    Entry::new(visit.times(), format!("{} · {}", visit.client_name, visit.label))
        .line(visit.address.clone())
        .line(travel_line)
        .line(if visit.time_critical { visit.window() } else { String::new() })
        .line(double_up)
        .line(if visit.access_notes.is_empty() { String::new() } else { format!("Getting in: {}", visit.access_notes) })
        .line(if visit.tasks.is_empty() { String::new() } else { format!("Tasks: {}", visit.tasks.join("; ")) })
        .line(if visit.client_phone.is_empty() {
            String::new()
        } else {
            format!("Client's phone: {}", visit.client_phone)
        })
        .line(visit.time_note.clone())
        .line(risk_line(visit))
        .line(check_in_line(visit))
        .emphasised(visit.time_critical)
}

/// The controls of the client's risk assessment, or nothing.
pub fn risk_line(visit: &SheetVisit) -> String {
    if visit.risk_controls.is_empty() {
        String::new()
    } else {
        format!("Risk assessment: {}", visit.risk_controls.join("; "))
    }
}

pub fn check_in_line(visit: &SheetVisit) -> String {
    if visit.check_in {
        "Ring the office or on call when you arrive and when you leave".into()
    } else {
        String::new()
    }
}

/// The on-call people for a period, as entries.
pub fn on_call_entries(on_call: &[OnCallContact]) -> Vec<Entry> {
    on_call
        .iter()
        .map(|c| Entry::new(c.span(), format!("{} · {}", c.person, c.tier)).line(format!("Phone {}", c.phone)))
        .collect()
}

/// The on-call people for a period, one entry each with all their spans:
/// a week's shifts in a few lines rather than a page.
fn brief_on_call_entries(on_call: &[OnCallContact]) -> Vec<Entry> {
    let mut people: Vec<(&OnCallContact, Vec<String>)> = Vec::new();
    for contact in on_call {
        let same = |c: &OnCallContact| c.person == contact.person && c.tier == contact.tier && c.phone == contact.phone;
        match people.iter_mut().find(|(c, _)| same(c)) {
            Some((_, spans)) => spans.push(contact.span()),
            None => people.push((contact, vec![contact.span()])),
        }
    }
    people
        .into_iter()
        .map(|(c, spans)| {
            Entry::new(c.tier.clone(), format!("{} · phone {}", c.person, c.phone)).line(spans.join(", "))
        })
        .collect()
}

pub const NOBODY_ON_CALL: &str = "Nobody is on call in this period: ring the office, or 999 in an emergency.";

/// One carer's sheet: a section per day, and who is on call.
pub fn run_sheet(
    carer: &SheetCarer,
    period: Period,
    visits: &[&SheetVisit],
    on_call: &[OnCallContact],
    travel: &TravelSettings,
    detail: SheetDetail,
) -> Part {
    let mut sections = Vec::new();
    let (mut care, mut travelling) = (0u32, 0u32);
    for date in period.dates() {
        let mut from = carer.home;
        let mut entries = Vec::new();
        for (i, visit) in visits.iter().filter(|v| london_date(v.start) == date).enumerate() {
            let leg = estimate(from, visit.place, carer.transport, travel);
            let whence = if i == 0 { "from home" } else { "from the last visit" };
            let travel_line = if leg.minutes == 0 {
                format!("Travel: none {whence}")
            } else {
                format!(
                    "Travel: about {} {} {whence} ({:.1} km)",
                    hours_minutes(leg.minutes),
                    travel_phrase(carer.transport),
                    leg.road_km
                )
            };
            travelling += leg.minutes;
            care += visit.duration_min;
            entries.push(match detail {
                SheetDetail::Full => visit_entry(carer, visit, travel_line),
                SheetDetail::Brief => brief_entry(carer, visit),
            });
            from = visit.place;
        }
        // A visit within the hour either side of a clock change is told
        // of it first: the carer's own watch and phone go forward or back.
        for change in clock_changes_on(date) {
            let (from, until) = (change.at - Duration::hours(1), change.at + Duration::hours(1));
            if visits.iter().any(|v| london_date(v.start) == date && v.start < until && v.end() > from) {
                entries.insert(0, Entry::new("Clocks", change.said).emphasised(true));
            }
        }
        let heading = date.format("%A %-d %B %Y").to_string();
        sections.push(Section::new(heading, "No visits this day.", entries));
    }
    let on_call = match detail {
        SheetDetail::Full => on_call_entries(on_call),
        SheetDetail::Brief => brief_on_call_entries(on_call),
    };
    sections.push(Section::new("On call", NOBODY_ON_CALL, on_call));
    let count = visits.len();
    let mut summary = vec![format!(
        "{count} visit{} · {} of care · about {} travelling {}",
        if count == 1 { "" } else { "s" },
        hours_minutes(care),
        hours_minutes(travelling),
        travel_phrase(carer.transport)
    )];
    if let (Some(first), Some(last)) = (visits.first(), visits.last()) {
        summary.push(format!("first at {}, last ends {}", clock(first.start), clock(last.end())));
    }
    if !carer.phone.is_empty() {
        summary.push(format!("phone {}", carer.phone));
    }
    Part { heading: carer.name.clone(), subheading: summary.join(" · "), sections }
}

/// Every carer with a visit in the period, by name, one part each.
pub fn run_sheets(
    period: Period,
    carers: &[SheetCarer],
    visits: &[SheetVisit],
    on_call: &[OnCallContact],
    travel: &TravelSettings,
    detail: SheetDetail,
    produced: String,
) -> Document {
    let mut carers: Vec<&SheetCarer> = carers.iter().collect();
    carers.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let mut by_carer: std::collections::HashMap<Uuid, Vec<&SheetVisit>> = std::collections::HashMap::new();
    for visit in visits {
        for (carer, _) in &visit.carers {
            by_carer.entry(*carer).or_default().push(visit);
        }
    }
    let parts = carers
        .into_iter()
        .filter_map(|carer| {
            let mut theirs = by_carer.remove(&carer.id)?;
            theirs.sort_by_key(|v| (v.start, v.id));
            Some(run_sheet(carer, period, &theirs, on_call, travel, detail))
        })
        .collect();
    Document { kind: detail.label().into(), title: period.title(), produced, parts }
}

/// A carer's visits as an iCalendar file for their phone's calendar.
pub fn calendar(carer: &SheetCarer, visits: &[&SheetVisit]) -> String {
    let mut cal = Calendar::new();
    cal.name(&format!("Caredesk visits for {}", carer.name));
    for visit in visits {
        let mut description = visit.tasks.join("\n");
        if visit.time_critical {
            description = format!("{}\n{description}", visit.window());
        }
        cal.push(
            Event::new()
                .uid(&format!("{}@caredesk", visit.id))
                .summary(&format!("{} · {}", visit.client_name, visit.label))
                .location(&visit.address)
                .description(description.trim())
                .starts(visit.start)
                .ends(visit.end())
                .done(),
        );
    }
    cal.done().to_string()
}
