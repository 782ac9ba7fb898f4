//! The rota by area, for the office wall and for whoever covers a patch:
//! for each area (a postcode's outward code, "SY3"), day by day, which
//! carers are in it and when, each with their visits there, then the
//! visits still waiting for a carer. One area per part, so each starts on
//! a fresh A4 page and can be pinned up or handed over on its own. Pure.

use super::facts::{clock, hours_minutes, SheetVisit};
use super::model::{Document, Entry, Part, Section};
use super::runsheet::Period;
use crate::rota::plan::london_date;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use uuid::Uuid;

/// "07:15 Morning call, Betty Smith", with the other carer of a double-up.
fn visit_line(visit: &SheetVisit, carer: Option<Uuid>) -> String {
    format!("{} {}", clock(visit.start), what(visit, carer))
}

/// "Morning call, Betty Smith", with the other carer of a double-up.
fn what(visit: &SheetVisit, carer: Option<Uuid>) -> String {
    let mut line = format!("{}, {}", visit.label, visit.client_name);
    let others: Vec<&str> =
        visit.carers.iter().filter(|(id, _)| Some(*id) != carer).map(|(_, name)| name.as_str()).collect();
    match (visit.carers_required, carer, others.as_slice()) {
        (2, Some(_), []) => line.push_str(" (double-up: second carer not allocated)"),
        (2, _, names) if !names.is_empty() => line.push_str(&format!(" (with {})", names.join(", "))),
        _ => {}
    }
    line
}

/// One day of one area: each carer in it, by when they arrive, then what
/// still waits for a carer.
fn day_section(date: NaiveDate, area: &str, visits: &[&SheetVisit]) -> Section {
    let mut by_carer: BTreeMap<Uuid, (String, Vec<&SheetVisit>)> = BTreeMap::new();
    for visit in visits {
        for (id, name) in &visit.carers {
            by_carer.entry(*id).or_insert_with(|| (name.clone(), Vec::new())).1.push(visit);
        }
    }
    let mut carers: Vec<(Uuid, String, Vec<&SheetVisit>)> =
        by_carer.into_iter().map(|(id, (name, visits))| (id, name, visits)).collect();
    carers.sort_by(|a, b| a.2[0].start.cmp(&b.2[0].start).then_with(|| a.1.cmp(&b.1)));
    let mut entries: Vec<Entry> = carers
        .into_iter()
        .map(|(id, name, theirs)| {
            let last_end = theirs.iter().map(|v| v.end()).max().unwrap_or(theirs[0].start);
            let minutes: u32 = theirs.iter().map(|v| v.duration_min).sum();
            let visits = if theirs.len() == 1 { "1 visit".to_string() } else { format!("{} visits", theirs.len()) };
            theirs.iter().fold(
                Entry::new(
                    format!("{}–{}", clock(theirs[0].start), clock(last_end)),
                    format!("{name}: {visits}, {}", hours_minutes(minutes)),
                ),
                |entry, visit| entry.line(visit_line(visit, Some(id))),
            )
        })
        .collect();
    // Each waiting visit its own entry of two lines, marked out: a week
    // ahead is mostly these, and an entry is never split across pages.
    entries.extend(visits.iter().filter(|v| v.needs_carer()).map(|visit| {
        let short = usize::from(visit.carers_required) - visit.carers.len();
        let waiting = match short {
            1 if visit.carers_required == 2 => "Waiting for its second carer".to_string(),
            1 => "Waiting for a carer".to_string(),
            n => format!("Waiting for {n} carers"),
        };
        Entry::new(visit.times(), format!("{waiting}: {}", what(visit, None)))
            .line(visit.address.clone())
            .emphasised(true)
    }));
    Section::new(date.format("%a %-d %b").to_string(), format!("No visits in {area} this day."), entries)
}

/// The towns of an area's visits, most visits first, at most three: "Wem,
/// Shrewsbury and Baschurch" says where SY4 is to someone who does not
/// know its postcodes.
fn towns(visits: &[&SheetVisit]) -> String {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for visit in visits.iter().filter(|v| !v.town.trim().is_empty()) {
        *count.entry(visit.town.trim()).or_default() += 1;
    }
    let mut towns: Vec<(&str, usize)> = count.into_iter().collect();
    towns.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let names: Vec<&str> = towns.iter().take(3).map(|(town, _)| *town).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The rota by area over `period`: every area with a visit in it, in order
/// (or `only` that one), each day of the period as a section.
pub fn area_rota(period: Period, visits: &[SheetVisit], only: Option<&str>, produced: String) -> Document {
    let mut areas: BTreeMap<&str, Vec<&SheetVisit>> = BTreeMap::new();
    for visit in visits.iter().filter(|v| only.is_none_or(|a| a == v.area)) {
        areas.entry(visit.area.as_str()).or_default().push(visit);
    }
    let parts = areas
        .into_iter()
        .map(|(area, theirs)| {
            let carers: std::collections::BTreeSet<Uuid> =
                theirs.iter().flat_map(|v| v.carers.iter().map(|(id, _)| *id)).collect();
            let waiting = theirs.iter().filter(|v| v.needs_carer()).count();
            let minutes: u32 = theirs.iter().map(|v| v.duration_min).sum();
            let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            Part {
                heading: format!("Area {area} · {}", towns(&theirs)),
                subheading: format!(
                    "{}, {} of care · {} · {} waiting for a carer",
                    plural(theirs.len(), "visit", "visits"),
                    hours_minutes(minutes),
                    plural(carers.len(), "carer", "carers"),
                    waiting
                ),
                sections: period
                    .dates()
                    .into_iter()
                    .map(|date| {
                        let mut day: Vec<&SheetVisit> =
                            theirs.iter().copied().filter(|v| london_date(v.start) == date).collect();
                        day.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.client_name.cmp(&b.client_name)));
                        day_section(date, area, &day)
                    })
                    .collect(),
            }
        })
        .collect();
    Document { kind: "Rota by area".into(), title: period.title(), produced, parts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::travel::GeoPoint;
    use chrono::{TimeZone, Utc};
    use chrono_tz::Europe::London;

    fn visit(area: &str, day: u32, hour: u32, client: &str, carers: &[(Uuid, &str)], required: u8) -> SheetVisit {
        SheetVisit {
            id: Uuid::now_v7(),
            start: London.with_ymd_and_hms(2026, 12, day, hour, 15, 0).unwrap().with_timezone(&Utc),
            duration_min: 45,
            label: "Morning call".into(),
            client_id: Uuid::now_v7(),
            client_name: client.into(),
            address: format!("1 High Street, Shrewsbury {area} 1AA"),
            area: area.into(),
            town: "Shrewsbury".into(),
            place: GeoPoint { lat: 52.7, lon: -2.75 },
            client_phone: String::new(),
            access_notes: String::new(),
            tasks: vec![],
            carers_required: required,
            carers: carers.iter().map(|(id, n)| (*id, n.to_string())).collect(),
            time_critical: false,
            flex_min: 0,
            time_note: String::new(),
            risk_controls: vec![],
            check_in: false,
        }
    }

    #[test]
    fn each_area_is_a_part_with_its_days_its_carers_in_order_of_arrival_and_what_waits() {
        let (amy, tom) = (Uuid::now_v7(), Uuid::now_v7());
        let visits = vec![
            visit("SY3", 1, 9, "Betty Smith", &[(amy, "Amy Powell")], 1),
            visit("SY3", 1, 7, "Roy Ward", &[(tom, "Tom Price"), (amy, "Amy Powell")], 2),
            visit("SY3", 1, 8, "Olive Nowak", &[], 1),
            visit("SY1", 2, 10, "Joan Pugh", &[(tom, "Tom Price")], 1),
        ];
        let period = Period { from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), days: 2 };
        let doc = area_rota(period, &visits, None, "Produced".into());
        let headings: Vec<&str> = doc.parts.iter().map(|p| p.heading.as_str()).collect();
        assert_eq!(headings, ["Area SY1 · Shrewsbury", "Area SY3 · Shrewsbury"]);

        let sy3 = &doc.parts[1];
        assert_eq!(sy3.subheading, "3 visits, 2 h 15 min of care · 2 carers · 1 waiting for a carer");
        let tuesday = &sy3.sections[0];
        assert_eq!(tuesday.heading, "Tue 1 Dec");
        let titles: Vec<&str> = tuesday.entries.iter().map(|e| e.title.as_str()).collect();
        // Both arrive at 07:15 on the double-up: by name then.
        assert_eq!(
            titles,
            [
                "Amy Powell: 2 visits, 1 h 30 min",
                "Tom Price: 1 visit, 45 min",
                "Waiting for a carer: Morning call, Olive Nowak"
            ]
        );
        assert_eq!(tuesday.entries[0].when, "07:15–10:00");
        assert_eq!(
            tuesday.entries[0].lines,
            ["07:15 Morning call, Roy Ward (with Tom Price)", "09:15 Morning call, Betty Smith"]
        );
        let waiting = &tuesday.entries[2];
        assert!(waiting.emphasis, "a waiting visit is marked out");
        assert_eq!(
            (waiting.when.as_str(), waiting.lines.as_slice()),
            ("08:15–09:00", &["1 High Street, Shrewsbury SY3 1AA".to_string()][..])
        );
        // Wednesday has nothing in SY3, and says so.
        assert!(sy3.sections[1].entries.is_empty());
        assert_eq!(sy3.sections[1].empty, "No visits in SY3 this day.");
    }

    #[test]
    fn an_area_is_named_by_its_towns_with_the_most_visits_first_three_at_most() {
        let in_town = |town: &str| SheetVisit { town: town.into(), ..visit("SY4", 1, 9, "Betty Smith", &[], 1) };
        let visits: Vec<SheetVisit> =
            ["Wem", "Baschurch", "Wem", "Shawbury", "Shrewsbury", "Shrewsbury", "Wem"].map(in_town).into();
        let refs: Vec<&SheetVisit> = visits.iter().collect();
        assert_eq!(towns(&refs), "Wem, Shrewsbury and Baschurch");
        assert_eq!(towns(&refs[..2]), "Baschurch and Wem", "a tie goes by name");
        assert_eq!(towns(&refs[..1]), "Wem");
    }

    #[test]
    fn one_area_alone_and_a_double_up_short_of_its_second_carer() {
        let amy = Uuid::now_v7();
        let visits =
            vec![visit("SY3", 1, 7, "Roy Ward", &[(amy, "Amy Powell")], 2), visit("SY1", 1, 10, "Joan Pugh", &[], 1)];
        let period = Period { from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), days: 1 };
        let doc = area_rota(period, &visits, Some("SY3"), "Produced".into());
        assert_eq!(doc.parts.len(), 1, "SY3 only");
        let entries = &doc.parts[0].sections[0].entries;
        assert_eq!(entries[0].lines, ["07:15 Morning call, Roy Ward (double-up: second carer not allocated)"]);
        assert_eq!(entries[1].title, "Waiting for its second carer: Morning call, Roy Ward (with Amy Powell)");
    }
}
