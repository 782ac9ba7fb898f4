//! Printed documents on a generated agency: the right visits on the right
//! carer's run sheet in order, and PDFs that open, paginate and render.

use crate::support;
use caredesk::documents::runsheet::SheetDetail;
use caredesk::documents::service::{area_rota_for, carer_calendar, run_sheets_for, run_sheets_in};
use caredesk::documents::{write_pdf, Document};
use caredesk::Store;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The small demo agency on 2 March 2026, its visits rolled forward for
/// the 2nd and 3rd and given carers in turn.
pub fn agency_with_rota() -> Store {
    let (mut store, _) = support::store();
    let agency = caredesk::demo::generate(caredesk::demo::Size::Small, 7, date("2026-03-02"));
    caredesk::demo::load(&mut store, &agency).unwrap();
    caredesk::rota::roll_forward(&mut store, date("2026-03-02"), date("2026-03-03"), &mut |_| {}).unwrap();
    let made = caredesk::demo::rota::allocate_in_turn(&mut store, date("2026-03-02"), date("2026-03-03")).unwrap();
    assert!(made > 100, "the small agency's two days get carers, made {made}");
    store
}

/// Each carer's visits on a day as (carer name → client names in start
/// order), read straight from the tables.
fn expected_runs(store: &Store, day: &str) -> BTreeMap<String, Vec<String>> {
    let mut runs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stmt = store
        .read()
        .prepare(
            "SELECT k.given_name || ' ' || k.family_name
                    || CASE WHEN (SELECT count(*) FROM carers o WHERE o.deleted_at IS NULL
                                  AND o.given_name = k.given_name AND o.family_name = k.family_name) > 1
                       THEN ' (' || k.postcode || ')' ELSE '' END,
                    c.given_name || ' ' || c.family_name
             FROM visit_allocations a JOIN visits v ON v.id = a.visit_id JOIN carers k ON k.id = a.carer_id
                  JOIN clients c ON c.id = v.client_id
             WHERE a.deleted_at IS NULL AND v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date = ?1
             ORDER BY v.starts_at, c.given_name || ' ' || c.family_name, v.id",
        )
        .unwrap();
    let rows = stmt.query_map([day], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).unwrap();
    for row in rows {
        let (carer, client) = row.unwrap();
        runs.entry(carer).or_default().push(client);
    }
    runs
}

/// Each part's heading → the clients of its entries, in order.
fn runs_in(doc: &Document) -> BTreeMap<String, Vec<String>> {
    doc.parts
        .iter()
        .map(|part| {
            let clients =
                part.sections[0].entries.iter().map(|e| e.title.split(" · ").next().unwrap().to_string()).collect();
            (part.heading.clone(), clients)
        })
        .collect()
}

#[test]
fn a_days_run_sheets_give_every_carer_their_own_visits_in_time_order_and_nobody_elses() {
    let store = agency_with_rota();
    let doc = run_sheets_for(&store, date("2026-03-02"), 1, None).unwrap();
    let expected = expected_runs(&store, "2026-03-02");
    assert_eq!(runs_in(&doc), expected, "run sheets differ from the allocations in the store");
    // This agency has two carers called Laura Roberts: each sheet says which.
    let lauras: Vec<&str> =
        doc.parts.iter().map(|p| p.heading.as_str()).filter(|h| h.starts_with("Laura Roberts")).collect();
    assert_eq!(lauras.len(), 2, "both Laura Roberts have a sheet: {lauras:?}");
    assert!(lauras.iter().all(|h| h.ends_with(')')) && lauras[0] != lauras[1], "told apart by postcode: {lauras:?}");
    let mut names: Vec<&str> = doc.parts.iter().map(|p| p.heading.as_str()).collect();
    let in_order = {
        let mut sorted = names.clone();
        sorted.sort();
        sorted
    };
    assert_eq!(names, in_order, "carers come by name");
    names.dedup();
    assert_eq!(names.len(), doc.parts.len(), "one part per carer");
    assert_eq!(doc.kind, "Run sheet");
    assert_eq!(doc.title, "Mon 2 Mar 2026");
}

/// Sarah's night call at 00:30 for 90 minutes on the night the clocks go
/// forward: her sheet for that day says so before the call. Margaret's
/// morning call the same day, far from the change, says nothing of it.
#[test]
fn a_run_sheet_with_a_call_across_the_clock_change_says_the_clocks_change_first() {
    let (mut store, _) = support::store();
    let mut carers = Vec::new();
    for (name, at) in [("Sarah", "00:30"), ("Tom", "09:00")] {
        let mut form = support::carer_form();
        form.given_name = name.into();
        let carer = caredesk::people::save_carer(&mut store, &form).unwrap();
        let client = caredesk::people::save_client(&mut store, &support::client_form()).unwrap();
        let mut package = support::package_form(client);
        package.weekdays = vec![caredesk::people::Weekday::Sun];
        (package.start_time, package.duration_min, package.required_skills) = (at.into(), Some(90.0), vec![]);
        caredesk::people::save_package(&mut store, &package).unwrap();
        carers.push((carer, client));
    }
    caredesk::rota::roll_forward(&mut store, date("2026-03-22"), date("2026-03-29"), &mut |_| {}).unwrap();
    let visits: Vec<(String, String)> = support::texts(&store, "SELECT id || ' ' || client_id FROM visits")
        .into_iter()
        .map(|t| {
            let (v, c) = t.split_once(' ').unwrap();
            (v.to_string(), c.to_string())
        })
        .collect();
    for (carer, client) in &carers {
        let theirs: Vec<(uuid::Uuid, uuid::Uuid)> = visits
            .iter()
            .filter(|(_, c)| *c == client.to_string())
            .map(|(v, c)| (v.parse().unwrap(), c.parse().unwrap()))
            .collect();
        support::give_past_the_rules(&mut store, &theirs, *carer);
    }
    let sheet = |day: &str, carer: uuid::Uuid| {
        let doc = run_sheets_for(&store, date(day), 1, Some(carer)).unwrap();
        doc.parts[0].sections[0].entries.iter().map(|e| (e.when.clone(), e.title.clone())).collect::<Vec<_>>()
    };
    let night = sheet("2026-03-29", carers[0].0);
    assert_eq!(night[0].0, "Clocks", "{night:?}");
    assert!(night[0].1.starts_with("Clocks go forward at 01:00"), "{}", night[0].1);
    assert_eq!(night.len(), 2, "the change, then the call: {night:?}");
    assert!(sheet("2026-03-22", carers[0].0).iter().all(|(when, _)| when != "Clocks"), "an ordinary Sunday");
    assert!(sheet("2026-03-29", carers[1].0).iter().all(|(when, _)| when != "Clocks"), "a morning call, far from it");
}

#[test]
fn every_leg_on_a_run_sheet_says_its_minutes_as_minutes() {
    let store = agency_with_rota();
    let doc = run_sheets_for(&store, date("2026-03-02"), 1, None).unwrap();
    let legs: Vec<&String> = doc
        .parts
        .iter()
        .flat_map(|p| p.sections[0].entries.iter())
        .flat_map(|e| e.lines.iter().filter(|l| l.starts_with("Travel: about ")))
        .collect();
    assert!(legs.len() > 50, "the small agency's carers travel that day: {}", legs.len());
    for leg in legs {
        // "Travel: about 12 min on foot from home (0.9 km)", "about 1 h 05 min by car …".
        let minutes = leg.trim_start_matches("Travel: about ").split(" by ").next().unwrap();
        let minutes = minutes.split(" on foot").next().unwrap();
        assert!(minutes.ends_with(" min") || minutes.ends_with(" h"), "a leg without its unit: {leg}");
    }
}

#[test]
fn a_double_up_names_the_partner_on_both_carers_sheets() {
    let store = agency_with_rota();
    let doc = run_sheets_for(&store, date("2026-03-02"), 1, None).unwrap();
    let partner_lines: Vec<(&str, &str)> = doc
        .parts
        .iter()
        .flat_map(|p| p.sections[0].entries.iter().map(move |e| (p.heading.as_str(), e)))
        .flat_map(|(carer, e)| {
            e.lines.iter().filter(|l| l.starts_with("Double-up with ")).map(move |l| (carer, l.as_str()))
        })
        .collect();
    assert!(!partner_lines.is_empty(), "the small agency has double-ups that day");
    for (carer, line) in &partner_lines {
        let partner = line.trim_start_matches("Double-up with ");
        assert_ne!(partner, *carer, "a carer is not their own partner");
        assert!(
            partner_lines.iter().any(|(c, l)| *c == partner && *l == format!("Double-up with {carer}")),
            "{partner}'s sheet should name {carer} back"
        );
    }
}

#[test]
fn a_run_sheet_for_one_carer_over_a_week_has_a_section_per_day_and_the_on_call_contacts() {
    let store = agency_with_rota();
    let carer = store.read().query_row(
        "SELECT carer_id FROM visit_allocations WHERE deleted_at IS NULL ORDER BY id LIMIT 1",
        [],
        |r| Ok(r.get::<_, String>(0)?.parse::<uuid::Uuid>().unwrap()),
    );
    let doc = run_sheets_for(&store, date("2026-03-02"), 7, Some(carer.unwrap())).unwrap();
    assert_eq!(doc.parts.len(), 1);
    let headings: Vec<&str> = doc.parts[0].sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings.len(), 8, "seven days and on call: {headings:?}");
    assert_eq!(headings[0], "Monday 2 March 2026");
    assert_eq!(headings[7], "On call");
    assert!(!doc.parts[0].sections[7].entries.is_empty(), "the demo agency has someone on call that week");
    assert!(doc.parts[0].sections[2].entries.is_empty(), "nothing was rolled forward for Wednesday");
    assert_eq!(doc.title, "Mon 2 Mar to Sun 8 Mar 2026");
}

#[test]
fn a_brief_run_sheet_has_the_same_visits_each_with_one_line_of_where_and_who_with_on_fewer_pages() {
    let store = agency_with_rota();
    let full = run_sheets_for(&store, date("2026-03-02"), 7, None).unwrap();
    let brief = run_sheets_in(&store, date("2026-03-02"), 7, None, SheetDetail::Brief).unwrap();
    assert_eq!((full.kind.as_str(), brief.kind.as_str()), ("Run sheet", "Run sheet, one line a visit"));
    assert_eq!(full.parts.len(), brief.parts.len(), "a sheet for every carer with visits");
    let mut double_ups = 0;
    for (f, b) in full.parts.iter().zip(&brief.parts) {
        assert_eq!((&f.heading, &f.subheading), (&b.heading, &b.subheading), "the same carer, the same totals");
        for (fs, bs) in f.sections.iter().zip(&b.sections).filter(|(s, _)| s.heading != "On call") {
            assert_eq!(fs.entries.len(), bs.entries.len(), "{} on {}", f.heading, fs.heading);
            for (fe, be) in fs.entries.iter().zip(&bs.entries) {
                assert_eq!((&fe.when, &fe.title, fe.emphasis), (&be.when, &be.title, be.emphasis));
                assert_eq!(be.lines.len(), 1, "one line: {:?}", be.lines);
                assert!(be.lines[0].starts_with(&fe.lines[0]), "the address first: {:?}", be.lines[0]);
                if let Some(partner) = fe.lines.iter().find(|l| l.starts_with("Double-up")) {
                    assert!(be.lines[0].contains(partner.as_str()), "{:?} names {partner:?}", be.lines[0]);
                    double_ups += 1;
                }
            }
        }
    }
    assert!(double_ups > 0, "the demo agency's week has double-ups");
    // On call: each person once, with every span they cover.
    let on_call = |doc: &Document| doc.parts[0].sections.last().cloned().expect("an on-call section").entries;
    let (shifts, people) = (on_call(&full), on_call(&brief));
    assert!(people.len() < shifts.len(), "{} people for {} shifts", people.len(), shifts.len());
    for shift in &shifts {
        let person = shift.title.split(" · ").next().unwrap_or_default();
        let theirs = people
            .iter()
            .find(|p| p.title.starts_with(person) && p.when == shift.title.split(" · ").nth(1).unwrap_or_default());
        assert!(
            theirs.is_some_and(|p| p.lines[0].contains(&shift.when)),
            "{} {} in {people:?}",
            shift.title,
            shift.when
        );
    }
    let pages = |doc| caredesk::documents::Printable::from(doc).pages.len();
    let (full_pages, brief_pages) = (pages(full), pages(brief));
    assert!(brief_pages < full_pages, "{brief_pages} brief pages against {full_pages} in full");
}

#[test]
fn a_carers_calendar_has_one_event_per_visit_at_its_utc_instant() {
    let store = agency_with_rota();
    let (carer, first_start): (String, String) = store
        .read()
        .query_row(
            "SELECT a.carer_id, min(v.starts_at) FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
             WHERE a.deleted_at IS NULL GROUP BY a.carer_id ORDER BY a.carer_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let visits = support::count(
        &store,
        &format!("SELECT count(*) FROM visit_allocations WHERE carer_id = '{carer}' AND deleted_at IS NULL"),
    );
    let ics = carer_calendar(&store, carer.parse().unwrap(), date("2026-03-02"), 2).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count() as i64, visits, "{ics}");
    let stamp = first_start.replace(['-', ':'], "");
    assert!(ics.contains(&format!("DTSTART:{stamp}")), "the first visit starts at {stamp} UTC:\n{ics}");
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program} could not run: {e}"));
    assert!(out.status.success(), "{program} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Pages, text and rendered page images of a PDF, by poppler's tools.
pub fn read_pdf(pdf: &Path) -> (usize, String) {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo gives the page count")
        .trim()
        .parse()
        .unwrap();
    let text = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let prefix = pdf.with_extension("");
    run("pdftoppm", &["-png", "-r", "40", pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
    let dir = pdf.parent().unwrap();
    let stem = prefix.file_name().unwrap().to_str().unwrap().to_string();
    let images = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.starts_with(&stem) && name.ends_with(".png") && e.metadata().unwrap().len() > 1000
        })
        .count();
    assert_eq!(images, pages, "every page renders to an image");
    (pages, text)
}

#[test]
fn the_run_sheets_pdf_has_a_page_or_more_per_carer_and_every_visit_in_its_text() {
    let store = agency_with_rota();
    let doc = run_sheets_for(&store, date("2026-03-02"), 1, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("run-sheets.pdf");
    let written = write_pdf(&doc, &pdf).unwrap();
    let (pages, text) = read_pdf(&pdf);
    assert_eq!(pages, written);
    assert!(pages >= doc.parts.len(), "one carer per page at least: {pages} pages, {} carers", doc.parts.len());
    let text_pages: Vec<&str> = text.split('\u{c}').collect();
    for (n, page) in text_pages.iter().take(pages).enumerate() {
        assert!(page.contains(&format!("Page {} of {pages}", n + 1)), "page {} has no number:\n{page}", n + 1);
        assert!(page.contains("Run sheet · "), "page {} does not say what it is", n + 1);
    }
    for part in &doc.parts {
        let at = text.find(&part.heading).unwrap_or_else(|| panic!("{} is not in the PDF", part.heading));
        let sheet = &text[at..];
        for entry in &part.sections[0].entries {
            assert!(sheet.contains(&entry.when), "{}'s visit at {} is missing", part.heading, entry.when);
        }
    }
}

#[test]
fn the_rota_by_area_puts_every_visit_of_the_day_in_its_clients_area_once_per_carer_or_as_waiting() {
    let store = agency_with_rota();
    let day = "2026-03-02";
    let doc = area_rota_for(&store, date(day), 1, None).unwrap();
    let count = |sql: &str| support::count(&store, &sql.replace("?day", day));
    // One part per area with a visit that day, the area being the client's
    // postcode's outward code.
    let areas = count(
        "SELECT count(DISTINCT substr(c.postcode, 1, instr(c.postcode, ' ') - 1))
         FROM visits v JOIN clients c ON c.id = v.client_id
         WHERE v.local_date = '?day' AND v.status = 'planned' AND v.deleted_at IS NULL",
    );
    assert!(areas > 1, "the small agency covers several areas");
    assert_eq!(doc.parts.len() as i64, areas);
    // Each carer's entry lists their visits in the area, one line each; each
    // visit short of a carer is an entry of its own, marked out.
    let (mut carer_lines, mut waiting) = (0, 0);
    for entry in doc.parts.iter().flat_map(|p| &p.sections[0].entries) {
        if entry.emphasis {
            assert!(entry.title.starts_with("Waiting for"), "{}", entry.title);
            waiting += 1;
        } else {
            carer_lines += entry.lines.len() as i64;
        }
    }
    let allocations = count(
        "SELECT count(*) FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
         WHERE a.deleted_at IS NULL AND v.local_date = '?day' AND v.status = 'planned' AND v.deleted_at IS NULL",
    );
    let short = count(
        "SELECT count(*) FROM visits v WHERE v.local_date = '?day' AND v.status = 'planned' AND v.deleted_at IS NULL
           AND (SELECT count(*) FROM visit_allocations a WHERE a.visit_id = v.id AND a.deleted_at IS NULL)
               < v.carers_required",
    );
    assert_eq!((carer_lines, waiting), (allocations, short), "(carers' visit lines, waiting visits)");

    // One area alone, asked for in any case; an area with no visits is refused.
    // "Area SY1 · Shrewsbury": the code, then where it is.
    let first = doc.parts[0].heading.split_whitespace().nth(1).unwrap().to_string();
    assert!(doc.parts[0].heading.ends_with("Shrewsbury"), "{}", doc.parts[0].heading);
    let one = area_rota_for(&store, date(day), 1, Some(&first.to_lowercase())).unwrap();
    assert_eq!(one.parts, doc.parts[..1]);
    match area_rota_for(&store, date(day), 1, Some("ZZ9")) {
        Err(caredesk::Error::Invalid(errors)) => {
            assert_eq!(
                (errors[0].field.as_str(), errors[0].message.as_str()),
                ("area", "No visits in ZZ9 on these days")
            )
        }
        other => panic!("an area with no visits should be refused, got {other:?}"),
    }
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    caredesk::documents::facts::parse_london_moment(text).unwrap()
}

fn section<'a>(doc: &'a Document, heading: &str) -> &'a caredesk::documents::Section {
    doc.parts.iter().flat_map(|p| &p.sections).find(|s| s.heading == heading).unwrap_or_else(|| panic!("no {heading}"))
}

#[test]
fn the_handover_sheet_lists_the_periods_unallocated_and_time_critical_visits_and_whos_off() {
    use caredesk::documents::handover::Direction;
    use caredesk::documents::handovers::handover_sheet_at;
    let store = agency_with_rota();
    // Take a carer off a 2 March evening visit, at noon, so it waits for a carer.
    let clock = std::sync::Arc::new(caredesk::clock::FixedClock::at(at("2026-03-02 12:00")));
    let mut store = store.with_clock(clock);
    let visit: String = store
        .read()
        .query_row(
            "SELECT v.id FROM visits v JOIN visit_allocations a ON a.visit_id = v.id
             WHERE v.local_date = '2026-03-02' AND v.local_time >= '19:00' AND v.carers_required = 1 ORDER BY v.starts_at LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    caredesk::rota::unallocate(&mut store, visit.parse().unwrap(), 1).unwrap();
    let doc = handover_sheet_at(&store, Direction::OfficeToOnCall, at("2026-03-02 17:00")).unwrap();
    assert_eq!(doc.kind, "Handover sheet");
    assert!(doc.parts[0].heading.contains("until Tue 3 Mar 2026 at 08:00"), "{}", doc.parts[0].heading);

    let waiting = support::count(
        &store,
        "SELECT count(*) FROM visits v WHERE v.status = 'planned' AND v.starts_at >= '2026-03-02T17:00:00Z'
           AND v.starts_at < '2026-03-03T08:00:00Z'
           AND (SELECT count(*) FROM visit_allocations a WHERE a.visit_id = v.id AND a.deleted_at IS NULL) < v.carers_required",
    );
    assert!(waiting >= 1);
    assert_eq!(section(&doc, "Visits still without a carer").entries.len() as i64, waiting);
    let critical = support::count(
        &store,
        "SELECT count(*) FROM visits WHERE status = 'planned' AND time_critical = 1
           AND starts_at >= '2026-03-02T17:00:00Z' AND starts_at < '2026-03-03T08:00:00Z'",
    );
    assert_eq!(section(&doc, "Time-critical calls").entries.len() as i64, critical);
    let changes = section(&doc, "Changes since the last handover");
    assert!(
        changes.entries.iter().any(|e| e.title.contains("taken off a visit")),
        "the unallocation is among the changes: {:?}",
        changes.entries.iter().map(|e| &e.title).collect::<Vec<_>>()
    );
    let demo = changes.entries.iter().find(|e| e.title.contains("changes at once: Carer added ×62, Skill added"));
    assert!(demo.is_some(), "the demo agency's load is one line of counts");
    let rolled = format!("{} visits added to the rota", support::count(&store, "SELECT count(*) FROM visits"));
    assert!(
        changes.entries.iter().any(|e| e.title.contains(&rolled)),
        "the roll forward is counted, every visit of each package's batch: {rolled:?} in {:?}",
        changes.entries.iter().map(|e| &e.title).collect::<Vec<_>>()
    );
    let absent = support::count(
        &store,
        "SELECT count(*) FROM carer_absences WHERE deleted_at IS NULL AND starts_on <= '2026-03-03' AND ends_on >= '2026-03-02'",
    );
    assert_eq!(section(&doc, "Carers off").entries.len() as i64, absent);
    assert_eq!(section(&doc, "People still to be told of changes").entries.len(), 0, "nothing was published");
}

/// A handover when the visits are made only to tomorrow says so first, for
/// whoever holds the office next to roll forward; two weeks ahead, nothing.
#[test]
fn the_handover_sheet_says_first_when_the_visits_are_made_less_than_a_week_ahead() {
    use caredesk::documents::handover::Direction;
    use caredesk::documents::handovers::handover_sheet_at;
    let mut store = agency_with_rota();
    let short = handover_sheet_at(&store, Direction::OfficeToOnCall, at("2026-03-02 17:00")).unwrap();
    let first = &short.parts[0].sections[0];
    assert_eq!(first.heading, "The rota ahead", "said before everything else");
    assert_eq!(first.entries.len(), 1);
    assert_eq!(first.entries[0].when, "Roll forward");
    assert_eq!(first.entries[0].title, "The care packages' visits are made up to Tue 3 Mar 2026, 1 day from today.");

    caredesk::rota::roll_forward(&mut store, date("2026-03-04"), date("2026-03-16"), &mut |_| {}).unwrap();
    let ahead = handover_sheet_at(&store, Direction::OfficeToOnCall, at("2026-03-02 17:00")).unwrap();
    let headings: Vec<&str> = ahead.parts[0].sections.iter().map(|s| s.heading.as_str()).collect();
    assert!(!headings.contains(&"The rota ahead"), "two weeks ahead is enough: {headings:?}");
}

/// The on-call manager taking over on the October night is told, first,
/// that the clocks go back and what that does to the small hours' visits;
/// on an ordinary night the sheet says nothing of it.
#[test]
fn the_handover_sheet_for_the_night_the_clocks_go_back_says_so_first() {
    use caredesk::documents::handover::Direction;
    use caredesk::documents::handovers::handover_sheet_at;
    let (store, _) = support::store();
    let night = handover_sheet_at(&store, Direction::OfficeToOnCall, at("2026-10-24 17:00")).unwrap();
    let first = &night.parts[0].sections[0];
    assert_eq!(first.heading, "The clocks change");
    let said: Vec<(&str, &str)> = first.entries.iter().map(|e| (e.when.as_str(), e.title.as_str())).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].0, "Sun 25 Oct");
    assert!(said[0].1.starts_with("Clocks go back at 02:00: 01:00-01:59 happens twice"), "{}", said[0].1);
    let ordinary = handover_sheet_at(&store, Direction::OfficeToOnCall, at("2026-10-31 17:00")).unwrap();
    assert!(
        ordinary.parts[0].sections.iter().all(|s| s.heading != "The clocks change"),
        "nothing about the clocks on an ordinary night"
    );
}

#[test]
fn a_handover_is_given_kept_as_given_and_acknowledged_by_someone_else_only() {
    use caredesk::documents::handover::Direction;
    use caredesk::documents::handovers::{acknowledge_handover, give_handover, given_sheet, list_handovers};
    let mut store = agency_with_rota();
    let id = give_handover(&mut store, Direction::OfficeToOnCall, at("2026-03-02 17:00")).unwrap();
    let refused = acknowledge_handover(&mut store, id, "").unwrap_err();
    assert!(refused.to_string().contains("you gave this one"), "{refused}");

    store.set_actor("Ola Night").unwrap();
    acknowledge_handover(&mut store, id, "Read it; will ring Mrs Jones first").unwrap();
    let rows = list_handovers(store.read(), 10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].given_by, support::COORDINATOR);
    assert_eq!(rows[0].acknowledged_by, "Ola Night");
    assert_eq!(rows[0].note, "Read it; will ring Mrs Jones first");
    assert_eq!(rows[0].at, "Mon 2 Mar 2026 at 17:00");
    let again = acknowledge_handover(&mut store, id, "").unwrap_err();
    assert!(again.to_string().contains("already acknowledged by Ola Night"), "{again}");

    let kept = given_sheet(store.read(), id).unwrap();
    assert_eq!(kept.kind, "Handover sheet");
    let history =
        support::texts(&store, "SELECT actor || ' ' || op FROM change_log WHERE entity = 'handovers' ORDER BY seq");
    assert_eq!(history, vec![format!("{} insert", support::COORDINATOR), "Ola Night update".to_string()]);
    // The next handover's changes start from this one.
    let next =
        caredesk::documents::handovers::handover_facts(store.read(), Direction::OnCallToOffice, at("2026-03-03 08:00"))
            .unwrap();
    assert_eq!(next.since, at("2026-03-02 17:00"));
}

#[test]
fn the_emergency_pack_covers_36_hours_with_every_visit_on_its_carers_run_and_every_client() {
    let store = agency_with_rota();
    let from = at("2026-03-02 08:00");
    let doc = caredesk::documents::service::emergency_pack_from(&store, from).unwrap();
    let visits = support::count(
        &store,
        "SELECT count(*) FROM visits WHERE status = 'planned' AND starts_at >= '2026-03-02T08:00:00Z' AND starts_at < '2026-03-03T20:00:00Z'",
    );
    let allocations = support::count(
        &store,
        "SELECT count(*) FROM visit_allocations a JOIN visits v ON v.id = a.visit_id WHERE a.deleted_at IS NULL
           AND v.status = 'planned' AND v.starts_at >= '2026-03-02T08:00:00Z' AND v.starts_at < '2026-03-03T20:00:00Z'",
    );
    let clients = support::count(
        &store,
        "SELECT count(DISTINCT client_id) FROM visits WHERE status = 'planned' AND starts_at >= '2026-03-02T08:00:00Z' AND starts_at < '2026-03-03T20:00:00Z'",
    );
    assert!(doc.parts[0]
        .subheading
        .starts_with(&format!("{visits} visits from Mon 2 Mar 2026 at 08:00 to Tue 3 Mar 2026 at 20:00")));
    let on_runs: usize = doc.parts[1].sections.iter().map(|s| s.entries.len()).sum();
    assert_eq!(on_runs as i64, allocations, "each allocation is on its carer's run");
    assert_eq!(doc.parts[2].sections[0].entries.len() as i64, clients);
    let with_contacts = doc.parts[2].sections[0]
        .entries
        .iter()
        .filter(|e| e.lines.iter().any(|l| l.starts_with("Emergency contacts: ")))
        .count();
    assert!(with_contacts > 0, "the demo clients have emergency contacts");

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("pack.pdf");
    let written = write_pdf(&doc, &pdf).unwrap();
    let (pages, text) = read_pdf(&pdf);
    assert_eq!(pages, written);
    for line in ["Whom to call, and what cannot wait", "Each carer's visits", "Clients with visits in these 36 hours"] {
        assert!(text.contains(line), "the pack has {line:?}");
    }
}

/// A pack whose 36 hours run past the last day rolled forward says so
/// first: the missing visits are on no page. One within it says nothing.
#[test]
fn the_emergency_pack_warns_first_when_its_hours_run_past_the_visits_made() {
    let store = agency_with_rota();
    let short = caredesk::documents::service::emergency_pack_from(&store, at("2026-03-03 08:00")).unwrap();
    let first = &short.parts[0].sections[0];
    assert_eq!(first.heading, "Visits not yet made");
    assert_eq!(
        first.entries[0].title,
        "The care packages' visits are made only up to Tue 3 Mar 2026: the days after it have none yet. \
         Ask the office or on call for the visits of Wed 4 Mar."
    );
    let within = caredesk::documents::service::emergency_pack_from(&store, at("2026-03-02 08:00")).unwrap();
    assert_eq!(within.parts[0].sections[0].heading, "On call", "the 36 hours end on the last day made");

    // Thursday rolled too, Wednesday not: a pack across Wednesday names it.
    let mut store = store;
    caredesk::rota::roll_forward(&mut store, date("2026-03-05"), date("2026-03-05"), &mut |_| {}).unwrap();
    let gap = caredesk::documents::service::emergency_pack_from(&store, at("2026-03-03 20:00")).unwrap();
    assert_eq!(
        gap.parts[0].sections[0].entries[0].title,
        "No visits are made from the care packages for Wed 4 Mar 2026: it was never rolled forward. \
         Ask the office or on call for the visits of those days."
    );
}

#[test]
fn the_evening_emergency_pack_is_written_once_a_day_after_six_into_the_chosen_folder() {
    use caredesk::documents::refresh::{pack_status, refresh_if_due, save_pack_folder};
    let (mut store, clock) = support::store();
    let agency = caredesk::demo::generate(caredesk::demo::Size::Small, 7, date("2026-03-02"));
    caredesk::demo::load(&mut store, &agency).unwrap();
    let default = tempfile::tempdir().unwrap();
    assert_eq!(refresh_if_due(&store, default.path()).unwrap(), None, "not due at 09:00");

    let chosen = tempfile::tempdir().unwrap();
    let refused = save_pack_folder(&mut store, "packs").unwrap_err();
    assert!(refused.to_string().contains("whole path"), "{refused}");
    let missing = chosen.path().join("not-there");
    let refused = save_pack_folder(&mut store, missing.to_str().unwrap()).unwrap_err();
    assert!(refused.to_string().contains("There is no folder"), "{refused}");
    save_pack_folder(&mut store, chosen.path().to_str().unwrap()).unwrap();

    for day in 2..=10 {
        clock.set(at(&format!("2026-03-{day:02} 18:30")));
        let written = refresh_if_due(&store, default.path()).unwrap().expect("due after 18:00");
        assert_eq!(written, chosen.path().join(format!("caredesk-emergency-pack-2026-03-{day:02}.pdf")));
        assert_eq!(refresh_if_due(&store, default.path()).unwrap(), None, "once a day");
    }
    let kept = std::fs::read_dir(chosen.path()).unwrap().count();
    assert_eq!(kept, 7, "the last seven are kept");
    let status = pack_status(store.read(), default.path()).unwrap();
    assert!(!status.default);
    assert_eq!(status.latest.as_deref(), Some("caredesk-emergency-pack-2026-03-10.pdf"));
    assert_eq!(std::fs::read_dir(default.path()).unwrap().count(), 0, "nothing in the default folder");
    let changed_by = support::texts(&store, "SELECT actor FROM change_log WHERE entity = 'document_settings'");
    assert_eq!(changed_by, vec![support::COORDINATOR.to_string()], "the choice is in the change log");
}

#[test]
fn on_the_october_clock_change_night_a_run_sheet_shows_the_0130_visit_once_at_its_first_time() {
    let (mut store, clock) = support::store();
    clock.set(at("2026-10-20 09:00"));
    let carer = caredesk::people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = caredesk::people::save_client(&mut store, &support::client_form()).unwrap();
    let mut package = support::package_form(client);
    package.start_time = "01:30".into();
    package.duration_min = Some(30.0);
    package.required_skills = vec![];
    package.weekdays = caredesk::people::Weekday::ALL.to_vec();
    package.starts_on = "2026-10-01".into();
    caredesk::people::save_package(&mut store, &package).unwrap();
    caredesk::rota::roll_forward(&mut store, date("2026-10-24"), date("2026-10-26"), &mut |_| {}).unwrap();
    caredesk::demo::rota::allocate_in_turn(&mut store, date("2026-10-24"), date("2026-10-26")).unwrap();
    let doc = run_sheets_for(&store, date("2026-10-24"), 3, Some(carer)).unwrap();
    let days: Vec<Vec<&str>> =
        doc.parts[0].sections[..3].iter().map(|s| s.entries.iter().map(|e| e.when.as_str()).collect()).collect();
    assert_eq!(
        days,
        vec![vec!["01:30–02:00"], vec!["Clocks", "01:30 BST–01:00 GMT"], vec!["01:30–02:00"]],
        "one 01:30 visit each night; on the 25th, after the clocks going back, it ends after they do"
    );
    let sunday = &doc.parts[0].sections[1].entries[1];
    assert!(
        sunday.lines.iter().any(|l| l.contains("happens twice")),
        "the clock-change note is on the sheet: {:?}",
        sunday.lines
    );
}
