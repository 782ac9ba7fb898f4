//! Interactive benchmarks of the core on the generated agencies. Each figure
//! is measured beside a reference in the same run (the raw SQL doing the same
//! work), so the cost of our own layers is visible. Writes
//! target/bench/interactive.json. Run with `cargo xtask bench`.

use caredesk::demo::{self, DemoAgency, Size};
use caredesk::people::{self, ListQuery};
use caredesk::rota;
use caredesk::store::Record;
use caredesk::Store;
use rusqlite::{params_from_iter, types::Value, Connection};
use std::path::Path;
use std::time::Instant;

#[path = "interactive/auto.rs"]
mod auto;
#[path = "interactive/documents.rs"]
mod documents;
#[path = "interactive/encryption.rs"]
mod encryption;
#[path = "interactive/import.rs"]
mod import;
#[path = "interactive/risk.rs"]
mod risk;
#[path = "interactive/today.rs"]
mod today;

/// The columns the raw reference reads for each carer and each client.
type RawCarer = (String, String, String, String, String, String, String, f64);
type RawClient = (String, String, String, String, String, String);

struct Figure {
    name: &'static str,
    value_ms: f64,
    reference: &'static str,
    reference_ms: f64,
}

/// The median of `runs` timings of `work`, in milliseconds.
fn median_ms(runs: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The reference for loading an agency: the same rows inserted with plain
/// prepared INSERTs in one transaction, with no validation and no change log.
fn raw_load(path: &Path, agency: &DemoAgency) {
    drop(Store::open(path, "bench").expect("schema"));
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    let tx = conn.transaction().unwrap();
    fn insert<R: Record>(tx: &rusqlite::Transaction, record: &R) {
        let fields = record.fields();
        let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        let marks: Vec<String> = (2..=fields.len() + 1).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT INTO {} (id, {}) VALUES (?1, {})", R::ENTITY, names.join(", "), marks.join(", "));
        let values = std::iter::once(Value::Text(record.id().to_string())).chain(fields.into_iter().map(|(_, v)| v));
        tx.prepare_cached(&sql).unwrap().execute(params_from_iter(values)).unwrap();
    }
    for c in &agency.carers {
        insert(&tx, &c.carer);
        c.skills.iter().for_each(|r| insert(&tx, r));
        c.availability.iter().for_each(|r| insert(&tx, r));
        c.absences.iter().for_each(|r| insert(&tx, r));
    }
    for c in &agency.clients {
        insert(&tx, &c.client);
        c.key_people.iter().for_each(|r| insert(&tx, r));
        c.carer_preferences.iter().for_each(|r| insert(&tx, r));
    }
    agency.packages.iter().for_each(|r| insert(&tx, r));
    tx.commit().unwrap();
}

/// Whether a part of the run was asked for: `cargo bench --bench interactive
/// -- roll week` runs only the parts whose names hold one of the words; no
/// words runs everything. (Cargo adds `--bench` itself.)
fn wanted(part: &str) -> bool {
    let words: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    words.is_empty() || words.iter().any(|w| part.contains(w.as_str()))
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// A care package's time changed on the huge agency just rolled a month
/// ahead: the package saved and its client's visits made from now on moved
/// with it, in one write. Each run moves the call a quarter of an hour, to
/// and fro, so every run changes every visit.
/// A clock at noon on the bench's `today`, the day its agencies are rolled
/// from: a write that follows the rota made ahead finds it ahead whatever
/// day the bench runs.
fn noon(today: chrono::NaiveDate) -> std::sync::Arc<caredesk::clock::FixedClock> {
    let noon = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
    std::sync::Arc::new(caredesk::clock::FixedClock::at(noon))
}

fn package_saved(rolled: &Path, today: chrono::NaiveDate) -> Figure {
    let mut store = Store::open(rolled, "bench").unwrap().with_clock(noon(today));
    let (package, client): (String, String) = store
        .read()
        .query_row("SELECT id, client_id FROM care_packages WHERE deleted_at IS NULL ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let mut form =
        people::package_form(store.read(), Some(package.parse().unwrap()), client.parse().unwrap(), today).unwrap();
    let times = [form.start_time.clone(), if form.start_time == "12:00" { "12:15" } else { "12:00" }.to_string()];
    let mut run = 0;
    let value_ms = median_ms(9, || {
        run += 1;
        form.start_time = times[run % 2].clone();
        let saved = rota::follow::save_package(&mut store, &form).unwrap();
        assert!(saved.visits.updated > 0, "each save moves the client's visits: {}", saved.said);
    });
    // The floor: the same visits' rows rewritten in one transaction of its own.
    let conn = Connection::open(rolled).unwrap();
    let reference_ms = median_ms(9, || {
        let tx = conn.unchecked_transaction().unwrap();
        let rewritten = tx
            .execute(
                "UPDATE visits SET local_time = local_time WHERE client_id = ?1 AND local_date >= ?2",
                [&client, &today.to_string()],
            )
            .unwrap();
        assert!(rewritten > 0);
        tx.commit().unwrap();
    });
    Figure {
        name: "a care package's time changed, its client's month of visits made following it (huge)",
        value_ms,
        reference: "raw SQL update of the client's visits from today, one transaction",
        reference_ms,
    }
}

/// The floor under a roll forward: the rows `rolled` gained over `agency`
/// (visits and their change-log rows), copied into a fresh copy of `agency`
/// by plain INSERT … SELECT in one transaction, with the roll's pragmas
/// (foreign keys checked too; its commit not flushed, as the roll's).
/// The median of three copies.
fn raw_insert_ms(dir: &Path, agency: &Path, rolled: &Path) -> f64 {
    let times = (0..3)
        .map(|_| {
            let path = fresh(dir, "roll-raw.db");
            std::fs::copy(agency, &path).unwrap();
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA foreign_keys = ON;",
            )
                .unwrap();
            conn.execute("ATTACH DATABASE ?1 AS rolled", [rolled.to_string_lossy()]).unwrap();
            let started = Instant::now();
            conn.execute_batch(
                "BEGIN;
                 INSERT INTO visits SELECT * FROM rolled.visits WHERE id NOT IN (SELECT id FROM main.visits);
                 INSERT INTO change_log (id, hlc, entity, record_id, root_id, op, changes, actor, device_id, at_utc)
                   SELECT id, hlc, entity, record_id, root_id, op, changes, actor, device_id, at_utc
                   FROM rolled.change_log WHERE seq > (SELECT max(seq) FROM main.change_log);
                 COMMIT;",
            )
            .unwrap();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(times)
}

/// The median of 11 timings of `change` followed by the week's board from
/// `week` (a Monday); after each, `undo` puts it back and the board is drawn
/// again, untimed, so every run starts from the same week, kept.
fn change_then_board(
    store: &mut Store,
    week: chrono::NaiveDate,
    change: impl Fn(&mut Store),
    undo: impl Fn(&mut Store),
) -> f64 {
    let times = (0..11)
        .map(|_| {
            let started = Instant::now();
            change(store);
            rota::board(store, week, 7).unwrap();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            undo(store);
            rota::board(store, week, 7).unwrap();
            ms
        })
        .collect();
    median(times)
}

/// The week's board as the grid opens it: every carer's row with the
/// board's totals, then the visits of the first 24 rows (a 768-pixel screen
/// shows 12, and the grid asks for those just out of view too) and of the
/// unallocated lane's first 8 rows.
fn screenful(store: &Store, week: chrono::NaiveDate) {
    let filters = rota::BoardFilters::default();
    let view = rota::board_view(store, week, 7, &filters).unwrap();
    let first: Vec<uuid::Uuid> = view.carers.iter().take(24).map(|r| r.carer.carer_id).collect();
    let part = rota::board_part(store, week, 7, &filters, &first, 0..8).unwrap();
    assert!(!part.queue.is_empty() || view.queue.visits == 0, "the waiting visits are sent");
}

fn fresh(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn main() {
    let dir = tempfile::tempdir().expect("temp folder");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut figures = Vec::new();

    // Generating and saving the large agency, through the write path.
    if wanted("load") {
        let large = demo::generate(Size::Large, 7, today);
        let load_ms = median_ms(3, || {
            // The people and packages only, like the reference beside it.
            let agency = DemoAgency {
                incidents: Vec::new(),
                risk_assessments: Vec::new(),
                ..demo::generate(Size::Large, 7, today)
            };
            let mut store = Store::open(&fresh(dir.path(), "large.db"), "bench").unwrap();
            demo::load(&mut store, &agency).unwrap();
        });
        let raw_ms = median_ms(3, || raw_load(&fresh(dir.path(), "large-raw.db"), &large));
        figures.push(Figure {
            name: "generate and save the large agency (300 carers, 1,000 clients) through the write path",
            value_ms: load_ms,
            reference: "plain INSERTs of the same rows, no change log",
            reference_ms: raw_ms,
        });
    }

    // Listing everyone at the huge size.
    if wanted("lists") {
        let huge_path = fresh(dir.path(), "huge.db");
        let mut store = Store::open(&huge_path, "bench").unwrap();
        demo::load(&mut store, &demo::generate(Size::Huge, 7, today)).unwrap();
        let conn = Connection::open(&huge_path).unwrap();
        let all = ListQuery::default();

        let carers_ms =
            median_ms(15, || assert_eq!(people::list_carers(store.read(), &all, today).unwrap().len(), 1500));
        let carers_raw = median_ms(15, || {
            let rows: Vec<RawCarer> = conn
                .prepare_cached(
                    "SELECT id, given_name, family_name, phone, town, postcode, transport, contracted_hours FROM carers
                 WHERE deleted_at IS NULL ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE",
                )
                .unwrap()
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(rows.len(), 1500);
        });
        figures.push(Figure {
            name: "list all 1,500 carers (huge) with skill counts and alerts, sorted",
            value_ms: carers_ms,
            reference: "raw SQL read of the same carers' rows, sorted",
            reference_ms: carers_raw,
        });

        let clients_ms =
            median_ms(15, || assert_eq!(people::list_clients(store.read(), &all, today).unwrap().len(), 5000));
        let clients_raw = median_ms(15, || {
            let rows: Vec<RawClient> = conn
                .prepare_cached(
                    "SELECT id, given_name, family_name, town, postcode, status FROM clients
                 WHERE deleted_at IS NULL ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE",
                )
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(rows.len(), 5000);
        });
        figures.push(Figure {
            name: "list all 5,000 clients (huge) with weekly hours from their packages, sorted",
            value_ms: clients_ms,
            reference: "raw SQL read of the same clients' rows, sorted",
            reference_ms: clients_raw,
        });

        let search = ListQuery { search: "baker sy3".into(), ..ListQuery::default() };
        let search_ms = median_ms(15, || {
            people::list_clients(store.read(), &search, today).unwrap();
        });
        figures.push(Figure {
            name: "search 5,000 clients (huge) for two words",
            value_ms: search_ms,
            reference: "raw SQL read of all clients' rows, sorted",
            reference_ms: clients_raw,
        });
    }

    // Rolling a month forward, on the large and the huge agency.
    for (size, name, db) in [
        (Size::Large, "roll forward a month of visits (large: 1,000 clients)", "roll-large.db"),
        (Size::Huge, "roll forward a month of visits (huge: 5,000 clients)", "roll-huge.db"),
    ] {
        if !wanted(db) {
            continue;
        }
        let agency = fresh(dir.path(), db);
        {
            let mut store = Store::open(&agency, "bench").unwrap();
            demo::load(&mut store, &demo::generate(size, 7, today)).unwrap();
            store.read().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        }
        // A second roll over the same dates changes nothing, so each of the
        // three runs rolls a fresh copy of the agency; the median is kept.
        // The roll returns once its weeks are committed; copying the log
        // into the file then runs on another thread, timed apart.
        let (from, to) = (today, today + chrono::Duration::days(29));
        let path = fresh(dir.path(), "roll-copy.db");
        let (mut times, mut checkpoints) = (Vec::new(), Vec::new());
        let mut summary = rota::RollSummary::default();
        for _ in 0..3 {
            fresh(dir.path(), "roll-copy.db");
            std::fs::copy(&agency, &path).unwrap();
            let mut store = Store::open(&path, "bench").unwrap();
            let started = Instant::now();
            summary = rota::roll_forward(&mut store, from, to, &mut |_| {}).unwrap();
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            store.settle();
            checkpoints.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        let insert_ms = raw_insert_ms(dir.path(), &agency, &path);
        println!(
            "  ({} visits created; the background checkpoint after each roll took {:.0} ms)",
            summary.created,
            median(checkpoints)
        );
        figures.push(Figure {
            name,
            value_ms: median(times),
            reference: "raw SQL insert of the same visits and change-log rows, one transaction",
            reference_ms: insert_ms,
        });
        if size == Size::Huge {
            figures.push(package_saved(&path, today));
            figures.push(import::packages_imported(dir.path(), &path, &agency, today));
        }
    }

    // A week of the rota with carers allocated (round robin, so there are
    // clashes to find): load it with every finding, check every rule, rank
    // the candidates for one visit.
    for (size, db, names) in [
        (
            Size::Large,
            "week-large.db",
            [
                "the whole week's board at once, every visit with its findings, nothing kept: the tests' path, not the app's (large)",
                "check every rule over a week (large)",
                "rank candidates for one visit, week kept from the board (large)",
                "the whole week's board at once again, its facts kept (large)",
                "replacements for one visit, ranked with reasons, week kept (large)",
                "replacements for a sick carer's whole day, ranked with reasons, week kept (large)",
                "give a waiting visit to a carer, then the week's board again, the kept week carried over (large)",
                "move a waiting visit a quarter of an hour, then the week's board again, the kept week carried over (large)",
                "mark a carer off sick, then the plan for their day, the kept week carried over (large)",
                "give next week's waiting visits the carers they had this week, each checked, one write (large)",
                "open a week's rota board with all findings as the app does, nothing kept: every row, then a screenful of visits (large)",
                "open the week's board again as the app does, its facts kept (large)",
                "a step of the grid's scroll: the next 12 rows' visits, the board kept (large)",
                "step to the next visit with a warning, the board kept (large)",
                "the down arrow to the nearest visit of the next carer's row with any, the board kept (large)",
            ],
        ),
        (
            Size::Huge,
            "week-huge.db",
            [
                "the whole week's board at once, every visit with its findings, nothing kept: the tests' path, not the app's (huge)",
                "check every rule over a week (huge)",
                "rank candidates for one visit, week kept from the board (huge)",
                "the whole week's board at once again, its facts kept (huge)",
                "replacements for one visit, ranked with reasons, week kept (huge)",
                "replacements for a sick carer's whole day, ranked with reasons, week kept (huge)",
                "give a waiting visit to a carer, then the week's board again, the kept week carried over (huge)",
                "move a waiting visit a quarter of an hour, then the week's board again, the kept week carried over (huge)",
                "mark a carer off sick, then the plan for their day, the kept week carried over (huge)",
                "give next week's waiting visits the carers they had this week, each checked, one write (huge)",
                "open a week's rota board with all findings as the app does, nothing kept: every row, then a screenful of visits (huge)",
                "open the week's board again as the app does, its facts kept (huge)",
                "a step of the grid's scroll: the next 12 rows' visits, the board kept (huge)",
                "step to the next visit with a warning, the board kept (huge)",
                "the down arrow to the nearest visit of the next carer's row with any, the board kept (huge)",
            ],
        ),
    ] {
        if !wanted(db) {
            continue;
        }
        let path = fresh(dir.path(), db);
        let mut store = Store::open(&path, "bench").unwrap();
        demo::load(&mut store, &demo::generate(size, 7, today)).unwrap();
        let week = rota::week::monday_of(today);
        // Eight weeks of allocated history before the week, so the week is
        // read from among many visits, as it is in use.
        let history = week - chrono::Duration::weeks(8);
        for start in (0..9).map(|w| history + chrono::Duration::weeks(w)) {
            rota::roll_forward(&mut store, start, start + chrono::Duration::days(6), &mut |_| {}).unwrap();
        }
        // A plausible rota over all of it (see `demo::rota`).
        let allocated =
            caredesk::demo::rota::allocate_in_turn(&mut store, history, week + chrono::Duration::days(6)).unwrap();
        let travel = caredesk::travel::TravelSettings::default();
        let mut finding_count = 0;
        // Each run a fresh connection, so nothing is kept from the last;
        // opened beforehand, as the app's connection is open already.
        let mut fresh: Vec<Store> = (0..11).map(|_| Store::open(&path, "bench").unwrap()).collect();
        let open_ms = median_ms(11, || {
            let store = fresh.pop().unwrap();
            let board = rota::board(&store, week, 7).unwrap();
            drop(store);
            finding_count = board.blocks + board.warnings;
        });
        let kept_ms = median_ms(5, || {
            rota::board(&store, week, 7).unwrap();
        });
        // The same week as the app's grid opens it: every row and the totals,
        // then the visits of the rows a screen shows (see `screenful`).
        let mut fresh_grid: Vec<Store> = (0..11).map(|_| Store::open(&path, "bench").unwrap()).collect();
        let grid_ms = median_ms(11, || {
            let store = fresh_grid.pop().unwrap();
            screenful(&store, week);
        });
        let grid_kept_ms = median_ms(5, || screenful(&store, week));
        // A step of a scroll down the week: the visits of the next 12 rows,
        // the board's rows and lanes laid out already.
        let filters = rota::BoardFilters::default();
        let rows: Vec<uuid::Uuid> =
            rota::board_view(&store, week, 7, &filters).unwrap().carers.iter().map(|r| r.carer.carer_id).collect();
        let mut step = 0;
        let scroll_ms = median_ms(15, || {
            let next: Vec<uuid::Uuid> = rows.iter().skip(24 + step * 12).take(12).copied().collect();
            step += 1;
            let part = rota::board_part(&store, week, 7, &filters, &next, 0..0).unwrap();
            assert_eq!(part.carers.len(), next.len(), "every row asked for is sent");
        });
        // A step through the week's warnings from the summary line's count:
        // the next visit with one after the last shown, with where it is.
        let mut shown: Option<uuid::Uuid> = None;
        let seek_ms = median_ms(15, || {
            let next = rota::board_seek(&store, week, 7, &filters, rota::Seek::Warn, shown).unwrap();
            let next = next.expect("the week has warnings");
            shown = Some(next.placed.map_or_else(|| next.lane.unwrap(), |p| p.visit.id));
        });
        // The keyboard going down the board a row at a time, as the down
        // arrow does from a morning visit, round to the top at the bottom.
        let (mut lane, lanes) = (-1, rows.len() as i32);
        let near_ms = median_ms(15, || {
            let go = rota::Go::Across { from: lane + 1, down: true, minute: 9 * 60 };
            let reached = rota::board_near(&store, week, 7, &filters, go).unwrap();
            assert!(reached.is_some() || lane > 0, "a row with visits below the unallocated lane");
            lane = reached.map_or(-1, |r| r.lane);
            if lane >= lanes - 1 {
                lane = -1;
            }
        });
        let facts = rota::week::load_week(store.read(), week, travel.clone()).unwrap().facts;
        let check_ms = median_ms(5, || {
            caredesk::rules::check_rota(&facts);
        });
        let conn = Connection::open(&path).unwrap();
        let raw_ms = median_ms(5, || {
            let n = conn
                .prepare_cached(
                    "SELECT v.id, v.client_id, v.starts_at, v.duration_min, v.required_skills, a.carer_id
                     FROM visits v LEFT JOIN visit_allocations a ON a.visit_id = v.id AND a.deleted_at IS NULL
                     WHERE v.deleted_at IS NULL AND v.local_date BETWEEN ?1 AND ?2",
                )
                .unwrap()
                .query_map(
                    [(week - chrono::Duration::days(1)).to_string(), (week + chrono::Duration::days(7)).to_string()],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, Option<String>>(5)?,
                        ))
                    },
                )
                .unwrap()
                .count();
            assert!(n > 0, "the week has visits");
        });
        // A visit in the middle of the week's Thursday.
        let thursday = (week + chrono::Duration::days(3)).to_string();
        let middle: uuid::Uuid = store
            .read()
            .query_row(
                "SELECT id FROM visits WHERE local_date = ?1 ORDER BY starts_at, id
                 LIMIT 1 OFFSET (SELECT count(*) / 2 FROM visits WHERE local_date = ?1)",
                [&thursday],
                |r| Ok(r.get::<_, String>(0)?.parse().unwrap()),
            )
            .unwrap();
        let all_visits: i64 = store.read().query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).unwrap();
        let rank_ms = median_ms(15, || {
            rota::candidates(&store, middle).unwrap();
        });
        let replace_ms = median_ms(15, || {
            rota::reallocate::visit_replacements(&store, middle).unwrap();
        });
        // A coordinator gives a waiting visit to a carer the rules allow and
        // the week's board is drawn again, from the kept week carried over
        // the write. Each run takes the carer off again afterwards, untimed.
        let (waiting, fits) = rota::board(&store, week, 7)
            .unwrap()
            .visits
            .iter()
            .filter(|v| v.needs_carer && v.carers_required == 1 && !v.cancelled)
            .find_map(|v| {
                let fits = rota::candidates(&store, v.id).unwrap().into_iter().find(|c| c.blocks == 0)?;
                Some((v.id, fits.carer_id))
            })
            .expect("a waiting visit that a carer the rules allow could take");
        let given_ms = change_then_board(
            &mut store,
            week,
            |store| drop(rota::give(store, waiting, fits, None, "bench").unwrap()),
            |store| rota::unallocate(store, waiting, 1).unwrap(),
        );
        // The same visit moved a quarter of an hour later, this visit only,
        // and the week's board drawn again; each run moves it back, untimed.
        let mut form = rota::visit_form(store.read(), waiting).unwrap();
        form.scope = rota::EditScope::ThisVisit;
        let was = form.start_time.clone();
        let later = (chrono::NaiveTime::parse_from_str(&was, "%H:%M").unwrap() + chrono::Duration::minutes(15))
            .format("%H:%M")
            .to_string();
        let at = |time: &str| rota::VisitEdit { start_time: time.to_string(), ..form.clone() };
        let moved_ms = change_then_board(
            &mut store,
            week,
            |store| drop(rota::edit_visit(store, &at(&later)).unwrap()),
            |store| drop(rota::edit_visit(store, &at(&was)).unwrap()),
        );
        // The carer with the most visits on the Wednesday goes off sick at
        // 06:30: marking them off, then the plan for their day, timed
        // together (each run marks them off again, which only repeats the
        // absence). Marking off carries the kept week over; the plan then
        // works the rules out afresh. After that the plan alone is timed,
        // its week and findings kept.
        let wednesday = week + chrono::Duration::days(2);
        let (sick, day_visits): (String, i64) = conn
            .query_row(
                "SELECT a.carer_id, count(*) AS n FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
                 WHERE v.local_date = ?1 AND a.deleted_at IS NULL GROUP BY a.carer_id ORDER BY n DESC LIMIT 1",
                [wednesday.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let off = rota::reallocate::OffInput {
            carer_id: Some(sick.parse().unwrap()),
            kind: Some(caredesk::people::AbsenceKind::Sickness),
            from: format!("{wednesday}T06:30"),
            until: wednesday.to_string(),
            note: String::new(),
        };
        let mut absence = uuid::Uuid::nil();
        let off_ms = median_ms(11, || {
            absence = rota::reallocate::mark_off(&mut store, &off).unwrap();
            rota::reallocate::reallocation(&store, absence).unwrap();
        });
        let mut covered = 0;
        let day_ms = median_ms(11, || {
            let plan = rota::reallocate::reallocation(&store, absence).unwrap();
            covered = plan.visits.iter().filter(|v| v.fitting > 0).count();
        });
        println!("  (the sick carer had {day_visits} visits that Wednesday; {covered} have someone who fits)");
        // Next week rolled forward (untimed), then given this week's carers:
        // one run, as it writes. Its reference reads next week's visits with
        // the carers of the same package's visit a week earlier.
        let next = week + chrono::Duration::weeks(1);
        let next_days = [next.to_string(), (next + chrono::Duration::days(6)).to_string()];
        rota::roll_forward(&mut store, next, next + chrono::Duration::days(6), &mut |_| {}).unwrap();
        let raw_same_ms = median_ms(5, || {
            let n = conn
                .prepare_cached(
                    "SELECT v.id, a.carer_id FROM visits v
                     JOIN visits e ON e.package_id = v.package_id AND e.local_date = date(v.local_date, '-7 days')
                          AND e.deleted_at IS NULL
                     LEFT JOIN visit_allocations a ON a.visit_id = e.id AND a.deleted_at IS NULL
                     WHERE v.deleted_at IS NULL AND v.local_date BETWEEN ?1 AND ?2",
                )
                .unwrap()
                .query_map([&next_days[0], &next_days[1]], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))
                .unwrap()
                .count();
            assert!(n > 0, "next week has visits");
        });
        let started = Instant::now();
        let same = rota::give_same_carers(&mut store, next, 7, "").unwrap();
        let same_ms = started.elapsed().as_secs_f64() * 1000.0;
        println!(
            "  (next week: {} allocations from this week's carers, {} left open, {} visits with nobody before)",
            same.given,
            same.left.len(),
            same.nothing_before
        );
        let week_visits: i64 = conn
            .query_row(
                "SELECT count(*) FROM visits WHERE local_date BETWEEN ?1 AND ?2",
                [week.to_string(), (week + chrono::Duration::days(6)).to_string()],
                |r| r.get(0),
            )
            .unwrap();
        println!(
            "  ({week_visits} visits in the week among {}, {allocated} allocated in all, {finding_count} findings on the board)",
            all_visits
        );
        let reference = "raw SQL read of the same week's visits and allocations";
        // The app's own path first: the budget's "open a week's rota" is
        // the grid's board, every row with its findings, then a screenful.
        figures.push(Figure { name: names[10], value_ms: grid_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[11], value_ms: grid_kept_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[1], value_ms: check_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[2], value_ms: rank_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[4], value_ms: replace_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[5], value_ms: day_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[6], value_ms: given_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[7], value_ms: moved_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[8], value_ms: off_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[12], value_ms: scroll_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[13], value_ms: seek_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[14], value_ms: near_ms, reference, reference_ms: raw_ms });
        figures.push(Figure {
            name: names[9],
            value_ms: same_ms,
            reference: "raw SQL read of next week's visits with the carers of the same visit a week earlier",
            reference_ms: raw_same_ms,
        });
        figures.push(Figure { name: names[0], value_ms: open_ms, reference, reference_ms: raw_ms });
        figures.push(Figure { name: names[3], value_ms: kept_ms, reference, reference_ms: raw_ms });
    }

    // The cost of encryption: the same agency encrypted and not.
    if wanted("encryption") {
        encryption::figures(dir.path(), today, &mut figures);
    }

    // Printed documents: the day's run sheets, the handover, the pack.
    if wanted("documents") {
        documents::figures(dir.path(), today, &mut figures);
    }

    // The live lone-worker board.
    if wanted("monitoring") {
        risk::figures(dir.path(), today, &mut figures);
    }

    // Today's on-call summary of the huge agency.
    if wanted("today") {
        today::figures(dir.path(), today, &mut figures);
    }

    // Auto-scheduling a day of the large agency.
    if wanted("auto") {
        auto::figures(dir.path(), today, &mut figures);
    }

    let entries: Vec<serde_json::Value> = figures
        .iter()
        .map(|f| {
            serde_json::json!({
                "name": f.name,
                "value_ms": (f.value_ms * 1000.0).round() / 1000.0,
                "reference": f.reference,
                "reference_ms": (f.reference_ms * 1000.0).round() / 1000.0,
                "ratio": ((f.value_ms / f.reference_ms) * 100.0).round() / 100.0,
            })
        })
        .collect();
    for f in &figures {
        println!(
            "{:>9.2} ms  (reference {:>8.2} ms, ×{:.2})  {}",
            f.value_ms,
            f.reference_ms,
            f.value_ms / f.reference_ms,
            f.name
        );
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out).unwrap();
    let json = serde_json::json!({ "benchmark": "interactive", "entries": entries });
    std::fs::write(out.join("interactive.json"), serde_json::to_string_pretty(&json).unwrap()).unwrap();
}
