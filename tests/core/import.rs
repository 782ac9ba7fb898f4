//! Importing from another system's CSV: a good file comes in whole, in one
//! transaction; a file with bad, duplicate or hostile lines is refused with
//! every line's problem and nothing of it is kept.

use crate::support::{self, count};
use caredesk::import::{import, import_reporting, preview, preview_reporting, ImportKind};
use caredesk::Error;
use std::sync::atomic::{AtomicBool, Ordering};

/// An import nobody asks to stop.
fn go_on() -> AtomicBool {
    AtomicBool::new(false)
}

const CARERS_HEADER: &str = "given_name,family_name,phone,address_line1,town,postcode,home_lat,home_lon,transport,started_on,dbs_expires_on,contracted_hours,max_hours,skills,availability\n";

fn carer_line(given: &str, family: &str, phone: &str, postcode: &str, transport: &str) -> String {
    format!(
        "{given},{family},{phone},1 High Street,Shrewsbury,{postcode},52.70,-2.75,{transport},2024-01-01,2027-01-01,30,40,\"personal_care; medication_l2 until 2027-06-30\",mon 07:00-14:30; tue 07:00-14:30\n"
    )
}

#[test]
fn a_good_carers_file_is_imported_whole_with_skills_and_availability() {
    let (mut store, _) = support::store();
    let file = format!(
        "\u{feff}{CARERS_HEADER}{}{}",
        carer_line("Amy", "Parry", "07700 900001", "SY1 1AA", "car"),
        carer_line("Ben", "Lloyd", "07700 900002", "SY3 7AB", "foot")
    );
    let seen = preview(&store, ImportKind::Carers, file.as_bytes()).unwrap();
    assert!(seen.ready, "nothing wrong: {:?}", seen.problems);
    assert_eq!((seen.lines, seen.sample[0][0].as_str()), (2, "Amy"), "the preview shows the lines as read");
    assert_eq!(import(&mut store, ImportKind::Carers, file.as_bytes()).unwrap().count, 2);
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 2);
    assert_eq!(count(&store, "SELECT count(*) FROM carer_skills"), 4);
    assert_eq!(count(&store, "SELECT count(*) FROM carer_availability"), 4);
    let actors = support::texts(&store, "SELECT DISTINCT actor FROM change_log WHERE entity = 'carers'");
    assert_eq!(actors, vec![support::COORDINATOR.to_string()], "through the write path, signed");
}

#[test]
fn every_bad_duplicate_or_hostile_line_is_reported_and_nothing_is_imported() {
    let (mut store, _) = support::store();
    caredesk::people::save_carer(&mut store, &support::carer_form()).unwrap(); // Sarah Evans, 07700 900123
    let mut file = CARERS_HEADER.as_bytes().to_vec();
    let lines = [
        carer_line("Amy", "Parry", "07700 900001", "SY1 1AA", "car"), // 2: good
        carer_line("Cara", "Jones", "07700 900003", "NOT A CODE", "car"), // 3: bad postcode
        carer_line("Dee", "Hughes", "07700 900004", "SY1 1AA", "hovercraft"), // 4: unknown transport
        carer_line("Amy", "Parry", "07700 900001", "SY1 1AA", "car"), // 5: same as line 2
        carer_line("Sarah", "Evans", "07700 900123", "SY3 7AB", "car"), // 6: already here
        carer_line("=CMD()", "Smith", "07700 900006", "SY1 1AA", "car"), // 7: a formula
        carer_line(&"x".repeat(600), "Long", "07700 900007", "SY1 1AA", "car"), // 8: too long
    ];
    for line in lines {
        file.extend_from_slice(line.as_bytes());
    }
    file.extend_from_slice(b"Fr\xe9d\xe9ric,Martin,07700 900009,1 High Street,Shrewsbury,SY1 1AA,52.7,-2.75,car,2024-01-01,2027-01-01,30,40,,\n"); // 9: Latin-1
    let seen = preview(&store, ImportKind::Carers, &file).unwrap();
    assert!(!seen.ready);
    let by_line: Vec<(u32, String)> =
        seen.problems.iter().map(|p| (p.line, format!("{}: {}", p.field, p.message))).collect();
    let lines_with_problems: Vec<u32> = by_line.iter().map(|(l, _)| *l).collect();
    for line in 3..=9 {
        assert!(lines_with_problems.contains(&line), "line {line} is reported: {by_line:#?}");
    }
    assert!(!lines_with_problems.contains(&2), "the good line is not: {by_line:#?}");
    let text =
        |line: u32| by_line.iter().filter(|(l, _)| *l == line).map(|(_, t)| t.clone()).collect::<Vec<_>>().join(" / ");
    assert!(text(3).starts_with("postcode:"), "{}", text(3));
    assert!(text(5).contains("The same as line 2"), "{}", text(5));
    assert!(text(6).contains("already in Caredesk"), "{}", text(6));
    assert!(text(7).contains("formula"), "{}", text(7));
    assert!(text(8).contains("Longer than 500"), "{}", text(8));
    assert!(text(9).contains("UTF-8"), "{}", text(9));

    let refused = import(&mut store, ImportKind::Carers, &file);
    let Err(Error::Invalid(details)) = refused else { panic!("refused: {refused:?}") };
    assert!(details.iter().any(|d| d.field == "line 3"), "each problem is named by its line: {details:?}");
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 1, "nothing of the file was imported, not even line 2");
}

#[test]
fn clients_then_their_care_packages_found_by_name_and_postcode() {
    let (mut store, _) = support::store();
    let clients = "given_name,family_name,address_line1,town,postcode,lat,lon,funding\n\
                   Margaret,Onions,4 Belle Vue Road,Shrewsbury,SY3 7NR,52.7008,-2.7498,local_authority\n";
    assert_eq!(import(&mut store, ImportKind::Clients, clients.as_bytes()).unwrap().count, 1);
    let packages = "client_given_name,client_family_name,client_postcode,label,weekdays,start_time,duration_min,carers_required,starts_on\n\
                    Margaret,Onions,sy3 7nr,Morning call,mon;wed;fri,07:30,45,1,2026-03-02\n\
                    Nobody,Known,SY1 1AA,Tea call,mon,16:30,30,1,2026-03-02\n";
    let seen = preview(&store, ImportKind::Packages, packages.as_bytes()).unwrap();
    assert_eq!(seen.problems.len(), 1, "{:?}", seen.problems);
    assert_eq!((seen.problems[0].line, seen.problems[0].field.as_str()), (3, "client_family_name"));
    let first_only = packages.lines().take(2).collect::<Vec<_>>().join("\n");
    assert_eq!(import(&mut store, ImportKind::Packages, first_only.as_bytes()).unwrap().count, 1);
    assert_eq!(count(&store, "SELECT count(*) FROM care_packages WHERE label = 'Morning call'"), 1);
}

/// The rota is rolled to Sun 15 March and the clock is at 09:00 on Monday
/// the 2nd: the packages imported make their visits from now to the 15th,
/// in the import's own transaction, as a package saved on its form does.
#[test]
fn care_packages_imported_after_the_roll_make_their_visits_from_now_to_the_last_day_made() {
    let (mut store, _) = support::store();
    let clients = "given_name,family_name,address_line1,town,postcode,lat,lon,funding\n\
                   Margaret,Onions,4 Belle Vue Road,Shrewsbury,SY3 7NR,52.7008,-2.7498,local_authority\n";
    import(&mut store, ImportKind::Clients, clients.as_bytes()).unwrap();
    let date = |day: u32| chrono::NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    caredesk::rota::roll_forward(&mut store, date(2), date(15), &mut |_| {}).unwrap();
    let packages = "client_given_name,client_family_name,client_postcode,label,weekdays,start_time,duration_min,carers_required,starts_on\n\
                    Margaret,Onions,SY3 7NR,Morning call,mon;wed;fri,07:30,45,1,2026-03-02\n";
    let imported = import(&mut store, ImportKind::Packages, packages.as_bytes()).unwrap();
    assert_eq!(
        imported.said, "The rota already made up to Sun 15 Mar 2026 follows the change: 5 visits added.",
        "Wednesday the 4th to Friday the 13th; this morning's 07:30 has gone by"
    );
    let days = support::texts(&store, "SELECT local_date FROM visits WHERE deleted_at IS NULL ORDER BY local_date");
    assert_eq!(days, ["2026-03-04", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13"]);
}

/// 150 clients imported and their fortnight from Mon 2 March rolled (no
/// visits yet): the book of their 150 packages, each a morning call on
/// Monday, Wednesday and Friday.
fn book_of_packages_after_a_roll(store: &mut caredesk::Store) -> String {
    let mut clients = String::from("given_name,family_name,address_line1,town,postcode,lat,lon,funding\n");
    let mut packages = String::from(
        "client_given_name,client_family_name,client_postcode,label,weekdays,start_time,duration_min,carers_required,starts_on\n",
    );
    for n in 0..150 {
        clients.push_str(&format!("Client{n},Onions,4 Belle Vue Road,Shrewsbury,SY3 7NR,52.7008,-2.7498,private\n"));
        packages.push_str(&format!("Client{n},Onions,SY3 7NR,Morning call,mon;wed;fri,07:30,45,1,2026-03-02\n"));
    }
    import(store, ImportKind::Clients, clients.as_bytes()).unwrap();
    let date = |day: u32| chrono::NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    caredesk::rota::roll_forward(store, date(2), date(15), &mut |_| {}).unwrap();
    packages
}

/// A whole book of packages: every client's visits are made, the same ones.
#[test]
fn a_whole_book_of_packages_imported_after_the_roll_makes_every_clients_visits() {
    let (mut store, _) = support::store();
    let packages = book_of_packages_after_a_roll(&mut store);
    let mut heard = Vec::new();
    let imported = import_reporting(&mut store, ImportKind::Packages, packages.as_bytes(), &go_on(), &mut |p| {
        heard.push(p.clone())
    })
    .unwrap();
    assert_eq!(imported.said, "The rota already made up to Sun 15 Mar 2026 follows the change: 750 visits added.");
    // The progress bar: the lines checked, then written, then the clients'
    // visits made, each from the first to the last, in order.
    let said: Vec<&str> = heard.iter().map(|p| p.said.as_str()).collect();
    let checked = said.iter().position(|s| *s == "Checking line 150 of 150").expect("the last line checked is heard");
    let lines = said.iter().position(|s| *s == "Writing line 150 of 150").expect("the last line written is heard");
    assert_eq!((said[0], said[checked + 1]), ("Checking line 1 of 150", "Writing line 1 of 150"));
    assert_eq!(said[lines + 1], "Making the visits of client 1 of 150");
    assert_eq!(said.last(), Some(&"Making the visits of client 150 of 150"));
    assert!(heard.windows(2).all(|w| w[0].done < w[1].done || w[1].done == 1), "done only grows within a step");
    assert!(heard.iter().all(|p| p.total == 150));
    assert_eq!(heard.len(), 3 * 150, "under 200, every line (checked, then written) and every client is heard once");
    let per_client = support::texts(
        &store,
        "SELECT count(*) FROM visits WHERE deleted_at IS NULL GROUP BY client_id HAVING count(*) = 5 AND min(local_date) = '2026-03-04'",
    );
    assert_eq!(per_client.len(), 150, "each client has the 4th to the 13th");
}

/// Stop pressed while a book of packages makes its clients' visits: the
/// whole import is undone, packages and visits alike, and the change log
/// holds nothing of it.
#[test]
fn an_import_stopped_part_way_through_making_visits_imports_nothing_and_says_so() {
    let (mut store, _) = support::store();
    let packages = book_of_packages_after_a_roll(&mut store);
    let logged = count(&store, "SELECT count(*) FROM change_log");
    let stop = go_on();
    let mut last = String::new();
    let stopped = import_reporting(&mut store, ImportKind::Packages, packages.as_bytes(), &stop, &mut |p| {
        if p.said == "Making the visits of client 75 of 150" {
            stop.store(true, Ordering::Relaxed);
        }
        last = p.said.clone();
    })
    .unwrap_err();
    assert!(matches!(&stopped, Error::Stopped(_)), "stopped, not failed: {stopped:?}");
    assert_eq!(stopped.to_string(), "Import stopped: nothing was imported.");
    assert_eq!(last, "Making the visits of client 75 of 150", "nothing more is done once Stop is pressed");
    assert_eq!(count(&store, "SELECT count(*) FROM care_packages"), 0, "no package is kept");
    assert_eq!(count(&store, "SELECT count(*) FROM visits"), 0, "no visit of the first 74 clients is kept");
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), logged, "the change log holds nothing of it");
    // The same file imported afterwards comes in whole.
    let imported = import(&mut store, ImportKind::Packages, packages.as_bytes()).unwrap();
    assert_eq!(imported.count, 150);
}

/// Stop pressed before the check reaches the last line: nothing is written.
#[test]
fn an_import_stopped_while_its_lines_are_checked_imports_nothing() {
    let (mut store, _) = support::store();
    let file = format!("{CARERS_HEADER}{}", carer_line("Amy", "Parry", "07700 900001", "SY1 1AA", "car"));
    let stopped = import_reporting(&mut store, ImportKind::Carers, file.as_bytes(), &AtomicBool::new(true), &mut |p| {
        panic!("nothing is heard after Stop: {}", p.said)
    })
    .unwrap_err();
    assert_eq!(stopped.to_string(), "Import stopped: nothing was imported.");
    assert_eq!(count(&store, "SELECT count(*) FROM carers"), 0);
}

/// Another file chosen while a book is checked: the first check stops.
#[test]
fn a_check_of_a_file_no_longer_chosen_stops() {
    let (store, _) = support::store();
    let file = format!("{CARERS_HEADER}{}", carer_line("Amy", "Parry", "07700 900001", "SY1 1AA", "car"));
    let stopped = preview_reporting(&store, ImportKind::Carers, file.as_bytes(), &AtomicBool::new(true), &mut |p| {
        panic!("nothing is checked once superseded: {}", p.said)
    })
    .unwrap_err();
    assert!(matches!(stopped, Error::Stopped(_)), "{stopped:?}");
}

/// Choosing a book of lines shows how far its check has got, line by line,
/// and writes nothing.
#[test]
fn a_book_of_lines_chosen_says_how_far_its_check_has_got_and_writes_nothing() {
    let (store, _) = support::store();
    let mut clients = String::from("given_name,family_name,address_line1,town,postcode,lat,lon,funding\n");
    for n in 0..150 {
        clients.push_str(&format!("Client{n},Onions,4 Belle Vue Road,Shrewsbury,SY3 7NR,52.7008,-2.7498,private\n"));
    }
    let mut heard = Vec::new();
    let seen =
        preview_reporting(&store, ImportKind::Clients, clients.as_bytes(), &go_on(), &mut |p| heard.push(p.clone()))
            .unwrap();
    assert!(seen.ready, "{:?}", seen.problems);
    let said: Vec<&str> = heard.iter().map(|p| p.said.as_str()).collect();
    assert_eq!(said.len(), 150, "under 200 lines, each line checked is heard once");
    assert_eq!((said[0], said[149]), ("Checking line 1 of 150", "Checking line 150 of 150"));
    assert!(heard.windows(2).all(|w| w[0].done < w[1].done), "the count only goes forward");
    let written = support::texts(&store, "SELECT count(*) FROM clients");
    assert_eq!(written, ["0"], "a preview writes nothing");
}

#[test]
fn an_unknown_or_missing_column_is_reported_on_the_header_line() {
    let (store, _) = support::store();
    let seen = preview(&store, ImportKind::Clients, b"given_name,surname,postcode\nA,B,SY1 1AA\n").unwrap();
    let header: Vec<&str> = seen.problems.iter().filter(|p| p.line == 1).map(|p| p.field.as_str()).collect();
    assert_eq!(header, vec!["surname", "family_name", "address_line1"], "{:?}", seen.problems);
}

#[test]
fn the_screen_lists_the_columns_the_import_reads_with_the_needed_ones_marked() {
    let columns = caredesk::import::expected_columns(ImportKind::Carers);
    let needed: Vec<&str> = columns.iter().filter(|c| c.required).map(|c| c.name.as_str()).collect();
    assert_eq!(needed, vec!["given_name", "family_name", "phone", "postcode"]);
    let skills = columns.iter().find(|c| c.name == "skills").unwrap();
    assert_eq!(skills.format, "personal_care; medication_l2 until 2027-06-30", "the format the reader expects");
    // A file with exactly the listed columns has no header problem.
    let (store, _) = support::store();
    let header = columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(",");
    let seen = preview(&store, ImportKind::Carers, format!("{header}\n").as_bytes()).unwrap();
    assert!(seen.problems.iter().all(|p| p.line != 1), "{:?}", seen.problems);
}
