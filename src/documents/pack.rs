//! The emergency pack: the next 36 hours on paper for when the computers or
//! the power fail — whom to call, the time-critical medication calls, every
//! carer's run with addresses, access notes and tasks, visits with nobody
//! on them, each client with their emergency contacts, and first, when the
//! visits made run out within the 36 hours, that they do. Pure.

use super::facts::{day_clock, day_date_clock, moment, OnCallContact, SheetCarer, SheetVisit};
use super::model::{Document, Entry, Part, Section};
use super::runsheet::{on_call_entries, NOBODY_ON_CALL};
use crate::rota::made_ahead::{say_not_made, DaysNotMade};
use crate::rota::plan::london_date;
use crate::rota::MadeAhead;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How far ahead the pack reaches.
pub const PACK_HOURS: i64 = 36;

#[derive(Debug, Clone)]
pub struct PackFacts {
    pub from: DateTime<Utc>,
    pub on_call: Vec<OnCallContact>,
    /// Planned visits starting in the 36 hours, in start order.
    pub visits: Vec<SheetVisit>,
    pub carers: Vec<SheetCarer>,
    /// Each client's emergency contacts: "Paul Jones (son) 07700 900456".
    pub emergency_contacts: HashMap<Uuid, Vec<String>>,
    /// How far ahead the care packages' visits are made, from the day of `from`.
    pub made_ahead: MadeAhead,
}

impl PackFacts {
    pub fn until(&self) -> DateTime<Utc> {
        self.from + Duration::hours(PACK_HOURS)
    }
}

fn carers_of(v: &SheetVisit) -> String {
    if v.carers.is_empty() {
        "NONE ALLOCATED".into()
    } else {
        v.carers.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(" and ")
    }
}

fn visit_entry(v: &SheetVisit) -> Entry {
    Entry::new(day_clock(v.start), format!("{} · {}", v.client_name, v.label))
        .line(format!("{} · {}", v.times(), v.address))
        .line(if v.time_critical { v.window() } else { String::new() })
        .line(if v.access_notes.is_empty() { String::new() } else { format!("Getting in: {}", v.access_notes) })
        .line(if v.tasks.is_empty() { String::new() } else { format!("Tasks: {}", v.tasks.join("; ")) })
        .line(super::runsheet::risk_line(v))
        .line(super::runsheet::check_in_line(v))
        .emphasised(v.time_critical)
}

pub fn emergency_pack(f: &PackFacts, produced: String) -> Document {
    let critical: Vec<Entry> = f
        .visits
        .iter()
        .filter(|v| v.time_critical)
        .map(|v| visit_entry(v).line(format!("Carers: {}", carers_of(v))))
        .collect();
    let unallocated: Vec<Entry> =
        f.visits.iter().filter(|v| v.needs_carer()).map(|v| visit_entry(v).emphasised(true)).collect();
    // Visits made only to a day before the pack's last: the missing ones
    // are on no page, so the reader must be told before they rely on it.
    let (first, last) = (london_date(f.from), london_date(f.until()));
    let gaps: Vec<DaysNotMade> = f.made_ahead.gaps.iter().filter_map(|gap| gap.within(first, last)).collect();
    let said = match f.made_ahead.until {
        Some(until) => say_not_made(&gaps, Some(until), last).map(|said| match gaps.is_empty() {
            true => format!(
                "{said} Ask the office or on call for the visits of {}.",
                (until + Duration::days(1)).format("%a %-d %b")
            ),
            false => format!("{said} Ask the office or on call for the visits of those days."),
        }),
        None => Some("No visits have been made from the care packages: this pack has none.".to_string()),
    };
    let mut sections = vec![
        Section::new("On call", NOBODY_ON_CALL, on_call_entries(&f.on_call)),
        Section::new("Time-critical calls", "No time-critical calls in these 36 hours.", critical),
        Section::new(
            "Visits without a carer",
            if f.visits.is_empty() {
                "No visits are on the rota for these 36 hours: check it has been rolled forward."
            } else {
                "Every visit has its carers."
            },
            unallocated,
        ),
    ];
    // Only while packages run on (`short`): an agency with none has nothing to make.
    if let Some(said) = said.filter(|_| f.made_ahead.short) {
        let warning = vec![Entry::new("Warning", said).emphasised(true)];
        sections.insert(0, Section::new("Visits not yet made", "", warning));
    }
    let first = Part {
        heading: "Whom to call, and what cannot wait".into(),
        subheading: format!(
            "{} visits from {} to {}. Time-critical calls are marked with a bar.",
            f.visits.len(),
            moment(f.from),
            moment(f.until())
        ),
        sections,
    };

    let mut by_carer: HashMap<Uuid, Vec<&SheetVisit>> = HashMap::new();
    for v in &f.visits {
        for (carer, _) in &v.carers {
            by_carer.entry(*carer).or_default().push(v);
        }
    }
    let mut carers: Vec<&SheetCarer> = f.carers.iter().filter(|c| by_carer.contains_key(&c.id)).collect();
    carers.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let runs = Part {
        heading: "Each carer's visits".into(),
        subheading: format!("{} carers working, by name", carers.len()),
        sections: carers
            .iter()
            .map(|c| {
                let heading = if c.phone.is_empty() { c.name.clone() } else { format!("{} · {}", c.name, c.phone) };
                let entries = by_carer[&c.id]
                    .iter()
                    .map(|v| {
                        let others: Vec<&str> =
                            v.carers.iter().filter(|(id, _)| *id != c.id).map(|(_, n)| n.as_str()).collect();
                        visit_entry(v).line(if others.is_empty() {
                            String::new()
                        } else {
                            format!("With {}", others.join(", "))
                        })
                    })
                    .collect();
                Section::new(heading, "", entries)
            })
            .collect(),
    };

    let mut clients: BTreeMap<(String, Uuid), Vec<&SheetVisit>> = BTreeMap::new();
    for v in &f.visits {
        clients.entry((v.client_name.clone(), v.client_id)).or_default().push(v);
    }
    let client_entries = clients
        .iter()
        .map(|((name, id), visits)| {
            let v = visits[0];
            let contacts = f.emergency_contacts.get(id).map(|c| c.join("; ")).unwrap_or_default();
            Entry::new(
                "",
                if v.client_phone.is_empty() { name.clone() } else { format!("{name} · {}", v.client_phone) },
            )
            .line(v.address.clone())
            .line(if v.access_notes.is_empty() { String::new() } else { format!("Getting in: {}", v.access_notes) })
            .line(if contacts.is_empty() {
                "No emergency contact recorded".into()
            } else {
                format!("Emergency contacts: {contacts}")
            })
            .line(format!(
                "Visits: {}",
                visits
                    .iter()
                    .map(|v| format!("{} ({})", day_clock(v.start), carers_of(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .emphasised(visits.iter().any(|v| v.time_critical))
        })
        .collect();
    let people = Part {
        heading: "Clients with visits in these 36 hours".into(),
        subheading: format!("{} clients, by name", clients.len()),
        sections: vec![Section::new("Clients A to Z", "No clients have visits.", client_entries)],
    };
    Document {
        kind: "Emergency pack".into(),
        title: format!("{} to {}", day_date_clock(f.from), day_date_clock(f.until())),
        produced,
        parts: vec![first, runs, people],
    }
}
