//! A book of care packages imported into the huge agency just rolled a
//! month ahead: 1,000 new clients' daily calls, whose visits from now to the
//! last day made follow in the import's own transaction (`rota::follow`).
//! Beside the same file imported into the
//! same agency with nothing rolled ahead, where no visit follows: the
//! difference is the follow's.

use super::{fresh, median, Figure};
use caredesk::import::{import, ImportKind};
use caredesk::Store;
use std::path::Path;
use std::time::Instant;

const CLIENTS: usize = 1_000;

/// The clients' file and their packages' file, starting `today`.
fn files(today: chrono::NaiveDate) -> (String, String) {
    let mut clients = String::from("given_name,family_name,address_line1,town,postcode,lat,lon,funding\n");
    let mut packages = String::from(
        "client_given_name,client_family_name,client_postcode,label,weekdays,start_time,duration_min,carers_required,starts_on\n",
    );
    for n in 0..CLIENTS {
        clients.push_str(&format!("Bench{n},Imported,1 High Street,Shrewsbury,SY1 1AA,52.7080,-2.7540,private\n"));
        packages
            .push_str(&format!("Bench{n},Imported,SY1 1AA,Tea call,mon;tue;wed;thu;fri;sat;sun,17:00,30,1,{today}\n"));
    }
    (clients, packages)
}

/// The median of three imports of the packages into fresh copies of
/// `agency`, its clients imported first (not timed); and the visits the
/// last one made.
fn imports(dir: &Path, agency: &Path, today: chrono::NaiveDate) -> (f64, String) {
    let (clients, packages) = files(today);
    let mut said = String::new();
    let times = (0..3)
        .map(|_| {
            let path = fresh(dir, "import-copy.db");
            std::fs::copy(agency, &path).unwrap();
            let mut store = Store::open(&path, "bench").unwrap().with_clock(super::noon(today));
            import(&mut store, ImportKind::Clients, clients.as_bytes()).unwrap();
            let started = Instant::now();
            let imported = import(&mut store, ImportKind::Packages, packages.as_bytes()).unwrap();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(imported.count as usize, CLIENTS);
            said = imported.said;
            store.settle();
            ms
        })
        .collect();
    (median(times), said)
}

pub fn packages_imported(dir: &Path, rolled: &Path, agency: &Path, today: chrono::NaiveDate) -> Figure {
    let (value_ms, said) = imports(dir, rolled, today);
    assert!(said.contains("visits added"), "the rota rolled ahead follows the packages: {said:?}");
    println!("  (1,000 packages imported: {said})");
    let (reference_ms, none) = imports(dir, agency, today);
    assert_eq!(none, "", "nothing rolled ahead, nothing follows");
    Figure {
        name: "a book of 1,000 care packages imported, the month rolled ahead following them (huge)",
        value_ms,
        reference: "the same file imported with nothing rolled ahead to follow",
        reference_ms,
    }
}
