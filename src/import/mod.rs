//! Importing carers, clients, care packages and carers' hours before
//! Caredesk from another system's CSV.
//! A preview first: how many lines, a sample, and every problem with its
//! line number and reason (the same checks as the forms, plus duplicates
//! within the file and against what is already here). The import itself
//! takes the whole file in one transaction, or nothing: stopped part-way
//! at the person's asking, it writes nothing either.

mod hours;
pub(crate) mod rows;

pub use rows::LineProblem;

use crate::access::Operation;
use crate::error::{Error, FieldError, Result};
use crate::people::{self, CarePackage, CarerInput, CarerRecords, ClientInput, ClientRecords, PackageInput};
use crate::rota::follow::{figure, worth_telling};
use crate::store::Store;
use rows::{problem, Row};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Carers,
    Clients,
    Packages,
    /// Carers' hours in the weeks before the agency's records in Caredesk
    /// begin (`people::hours_before`).
    HoursBefore,
}

/// What the file holds and what is wrong with it; `ready` when nothing is.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub kind: ImportKind,
    pub lines: u32,
    pub columns: Vec<String>,
    /// The first few lines as read, for the person to recognise the file.
    pub sample: Vec<Vec<String>>,
    pub problems: Vec<LineProblem>,
    pub ready: bool,
}

/// A column a file of this kind may have, for the screen to list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportColumn {
    pub name: String,
    pub required: bool,
    /// How to write a value, where it is not plain text: "yes or no".
    pub format: String,
}

/// The columns of each kind, in order, with how to write them.
pub fn expected_columns(kind: ImportKind) -> Vec<ImportColumn> {
    columns(kind)
        .iter()
        .map(|(name, cell)| ImportColumn {
            name: name.to_string(),
            required: required(kind).contains(name),
            format: match (*name, cell) {
                ("skills", _) => "personal_care; medication_l2 until 2027-06-30".into(),
                ("availability", _) => "mon 07:00-14:30; tue 07:00-14:30".into(),
                ("week", _) => "a date in the week, Monday to Sunday: 2026-08-03".into(),
                ("hours", _) => "37.5 or 37:30".into(),
                (_, Cell::Number) => "a number".into(),
                (_, Cell::Flag) => "yes or no".into(),
                (_, Cell::List) => "values separated by ;".into(),
                (_, Cell::Text) => String::new(),
            },
        })
        .collect()
}

enum Cell {
    Text,
    Number,
    Flag,
    /// `a; b; c`
    List,
}

/// The columns each kind understands (the form's field names), and how to
/// read them. `skills` and `availability` (carers) and the client columns
/// (packages) are read specially.
fn columns(kind: ImportKind) -> &'static [(&'static str, Cell)] {
    use Cell::*;
    match kind {
        ImportKind::Carers => &[
            ("given_name", Text),
            ("family_name", Text),
            ("gender", Text),
            ("phone", Text),
            ("email", Text),
            ("address_line1", Text),
            ("address_line2", Text),
            ("town", Text),
            ("postcode", Text),
            ("home_lat", Number),
            ("home_lon", Number),
            ("transport", Text),
            ("languages", Text),
            ("started_on", Text),
            ("left_on", Text),
            ("dbs_expires_on", Text),
            ("right_to_work_expires_on", Text),
            ("contracted_hours", Number),
            ("max_hours", Number),
            ("wtr_opt_out", Flag),
            ("notes", Text),
            ("skills", Text),
            ("availability", Text),
        ],
        ImportKind::Clients => &[
            ("given_name", Text),
            ("family_name", Text),
            ("preferred_name", Text),
            ("date_of_birth", Text),
            ("gender", Text),
            ("phone", Text),
            ("address_line1", Text),
            ("address_line2", Text),
            ("town", Text),
            ("postcode", Text),
            ("lat", Number),
            ("lon", Number),
            ("access_notes", Text),
            ("preferred_carer_gender", Text),
            ("language", Text),
            ("funding", Text),
            ("funding_reference", Text),
            ("notes", Text),
        ],
        ImportKind::Packages => &[
            ("client_given_name", Text),
            ("client_family_name", Text),
            ("client_postcode", Text),
            ("label", Text),
            ("weekdays", List),
            ("start_time", Text),
            ("duration_min", Number),
            ("carers_required", Number),
            ("required_skills", List),
            ("tasks", Text),
            ("time_critical", Flag),
            ("flex_min", Number),
            ("short_task", Flag),
            ("starts_on", Text),
            ("ends_on", Text),
        ],
        ImportKind::HoursBefore => &[
            ("carer_given_name", Text),
            ("carer_family_name", Text),
            ("carer_phone", Text),
            ("week", Text),
            ("hours", Text),
        ],
    }
}

fn required(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::Carers => &["given_name", "family_name", "phone", "postcode"],
        ImportKind::Clients => &["given_name", "family_name", "address_line1", "postcode"],
        ImportKind::Packages => &["client_given_name", "client_family_name", "client_postcode", "label", "start_time"],
        ImportKind::HoursBefore => &["carer_given_name", "carer_family_name", "carer_phone", "week", "hours"],
    }
}

/// A line as the form's JSON, for the form's own type to read.
fn form_json(kind: ImportKind, row: &Row, problems: &mut Vec<LineProblem>) -> Map<String, Value> {
    let mut form = Map::new();
    for (name, cell) in columns(kind) {
        let text = row.get(name);
        if text.is_empty() || name.starts_with("client_") || *name == "skills" || *name == "availability" {
            continue;
        }
        let value = match cell {
            Cell::Text => Value::String(text.to_string()),
            Cell::Number => match text.replace(',', "").parse::<f64>() {
                Ok(n) if n.is_finite() => Value::from(n),
                _ => {
                    problems.push(problem(row.line, name, format!("{text:?} is not a number")));
                    continue;
                }
            },
            Cell::Flag => match text.to_lowercase().as_str() {
                "yes" | "y" | "true" | "1" => Value::Bool(true),
                "no" | "n" | "false" | "0" => Value::Bool(false),
                _ => {
                    problems.push(problem(row.line, name, format!("Write yes or no, not {text:?}")));
                    continue;
                }
            },
            Cell::List => Value::Array(
                text.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_lowercase()))
                    .collect(),
            ),
        };
        form.insert(name.to_string(), value);
    }
    form
}

/// `personal_care; medication_l2 until 2027-01-31` → skill inputs.
fn skills(text: &str) -> Value {
    let list = text.split(';').map(str::trim).filter(|s| !s.is_empty()).map(|s| {
        let (skill, expires) = s.split_once(" until ").unwrap_or((s, ""));
        serde_json::json!({ "skill": skill.trim().to_lowercase(), "expires_on": expires.trim() })
    });
    Value::Array(list.collect())
}

/// `mon 07:00-14:30; tue 07:00-14:30` → availability inputs.
fn availability(line: u32, text: &str, problems: &mut Vec<LineProblem>) -> Value {
    let mut list = Vec::new();
    for part in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let parsed = part.split_once(' ').and_then(|(day, times)| Some((day, times.split_once('-')?)));
        match parsed {
            Some((day, (from, to))) => list.push(serde_json::json!({
                "weekday": day.trim().to_lowercase(), "start_time": from.trim(), "end_time": to.trim()
            })),
            None => problems.push(problem(line, "availability", format!("Write \"mon 07:00-14:30\", not {part:?}"))),
        }
    }
    Value::Array(list)
}

/// Reads the form from JSON; a value the form cannot take (an unknown
/// transport, weekday …) is a problem on the line.
fn typed<T: serde::de::DeserializeOwned>(
    line: u32,
    form: Map<String, Value>,
    problems: &mut Vec<LineProblem>,
) -> Option<T> {
    serde_json::from_value(Value::Object(form))
        .map_err(|e| problems.push(problem(line, "line", format!("A value is not one Caredesk knows: {e}"))))
        .ok()
}

fn field_problems(line: u32, error: Error, problems: &mut Vec<LineProblem>) {
    match error {
        Error::Invalid(fields) => problems.extend(fields.into_iter().map(|f| problem(line, &f.field, f.message))),
        other => problems.push(problem(line, "line", other.to_string())),
    }
}

/// What one checked line becomes.
enum Record {
    Carer(Box<CarerRecords>),
    Client(Box<ClientRecords>),
    Package(CarePackage),
    Hours(people::hours_before::WeekChange),
}

fn normalise(text: &str) -> String {
    text.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect()
}

fn client_by_name(conn: &Connection, given: &str, family: &str, postcode: &str) -> Result<Option<uuid::Uuid>> {
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM clients WHERE deleted_at IS NULL AND lower(given_name) = lower(?1)
             AND lower(family_name) = lower(?2) AND replace(upper(postcode), ' ', '') = replace(upper(?3), ' ', '')",
        )?
        .query_map([given, family, postcode], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match ids.as_slice() {
        [one] => one.parse().ok(),
        _ => None,
    })
}

/// The carers with this name and phone (its digits alone compared).
fn carers_named(conn: &Connection, given: &str, family: &str, phone: &str) -> Result<Vec<uuid::Uuid>> {
    let digits = |p: &str| p.chars().filter(char::is_ascii_digit).collect::<String>();
    let carers: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT id, phone FROM carers WHERE deleted_at IS NULL AND lower(given_name) = lower(?1) AND lower(family_name) = lower(?2)",
        )?
        .query_map([given.trim(), family.trim()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(carers.into_iter().filter(|(_, p)| digits(p) == digits(phone)).filter_map(|(id, _)| id.parse().ok()).collect())
}

/// Reads and checks the whole file: the records it would make, the preview.
/// `progress` hears the lines checked: against a large agency's records a
/// book of lines takes longer to check than to write. `stop` set stops it.
fn check(
    conn: &Connection,
    kind: ImportKind,
    bytes: &[u8],
    today: chrono::NaiveDate,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<(Vec<Record>, ImportPreview)> {
    let (header, rows, mut problems) = rows::read(bytes);
    let known: Vec<&str> = columns(kind).iter().map(|(n, _)| *n).collect();
    for column in &header {
        if !known.contains(&column.as_str()) {
            problems.push(problem(1, column, format!("Unknown column; the columns are: {}", known.join(", "))));
        }
    }
    for column in required(kind) {
        if !header.is_empty() && !header.iter().any(|h| h == column) {
            problems.push(problem(1, column, "This column is needed"));
        }
    }
    let skill_codes = people::skill_codes(conn)?;
    let mut hours = hours::HoursLines::new(today);
    let mut records = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (n, row) in rows.iter().enumerate() {
        every_hundredth(n as u32 + 1, rows.len() as u32, "Checking line", stop, progress)?;
        let before = problems.len();
        let mut form = form_json(kind, row, &mut problems);
        // Hours lines repeat when they name the same carer and week, which
        // is known only once the line is read (`hours::HoursLines`).
        let key = match kind {
            ImportKind::Carers => {
                Some([row.get("given_name"), row.get("family_name"), row.get("phone")].map(normalise).join("|"))
            }
            ImportKind::Clients => {
                Some([row.get("given_name"), row.get("family_name"), row.get("postcode")].map(normalise).join("|"))
            }
            ImportKind::Packages => Some(
                ["client_given_name", "client_family_name", "client_postcode", "label", "start_time"]
                    .map(|c| normalise(row.get(c)))
                    .join("|"),
            ),
            ImportKind::HoursBefore => None,
        };
        if let Some(first) = key.and_then(|key| seen.insert(key, row.line)) {
            problems.push(problem(row.line, "line", format!("The same as line {first}")));
        }
        let record = match kind {
            ImportKind::Carers => {
                form.insert("skills".into(), skills(row.get("skills")));
                form.insert("availability".into(), availability(row.line, row.get("availability"), &mut problems));
                let input: Option<CarerInput> = typed(row.line, form, &mut problems);
                if !carers_named(conn, row.get("given_name"), row.get("family_name"), row.get("phone"))?.is_empty() {
                    problems.push(problem(row.line, "line", "This carer is already in Caredesk (same name and phone)"));
                }
                input
                    .and_then(|i| i.validate(&skill_codes).map_err(|e| field_problems(row.line, e, &mut problems)).ok())
                    .map(|r| Record::Carer(Box::new(r)))
            }
            ImportKind::Clients => {
                let input: Option<ClientInput> = typed(row.line, form, &mut problems);
                if client_by_name(conn, row.get("given_name"), row.get("family_name"), row.get("postcode"))?.is_some() {
                    problems.push(problem(
                        row.line,
                        "line",
                        "This client is already in Caredesk (same name and postcode)",
                    ));
                }
                input
                    .and_then(|i| {
                        i.validate(today, &|_| false).map_err(|e| field_problems(row.line, e, &mut problems)).ok()
                    })
                    .map(|r| Record::Client(Box::new(r)))
            }
            ImportKind::Packages => {
                let client = client_by_name(
                    conn,
                    row.get("client_given_name"),
                    row.get("client_family_name"),
                    row.get("client_postcode"),
                )?;
                if client.is_none() {
                    problems.push(problem(
                        row.line,
                        "client_family_name",
                        "No single client here has this name and postcode: import the clients first",
                    ));
                }
                // What the form starts with (30 minutes, one carer, every
                // week, from today), with the file's values over it.
                let defaults = people::client_service::new_package_form(client.unwrap_or_default(), today);
                let mut base = match serde_json::to_value(defaults) {
                    Ok(Value::Object(base)) => base,
                    _ => Map::new(),
                };
                base.extend(form);
                let input: Option<PackageInput> = typed(row.line, base, &mut problems);
                input
                    .filter(|_| client.is_some())
                    .and_then(|i| i.validate(&skill_codes).map_err(|e| field_problems(row.line, e, &mut problems)).ok())
                    .map(Record::Package)
            }
            ImportKind::HoursBefore => hours.check(conn, row, &mut problems)?.map(Record::Hours),
        };
        if problems.len() == before {
            records.extend(record);
        }
    }
    problems.sort_by_key(|p| p.line);
    let preview = ImportPreview {
        kind,
        lines: rows.len() as u32,
        sample: rows.iter().take(5).map(|r| r.cells.iter().map(|(_, v)| v.clone()).collect()).collect(),
        columns: header,
        ready: problems.is_empty() && !rows.is_empty(),
        problems,
    };
    Ok((records, preview))
}

/// What importing the file would do, with every problem.
pub fn preview(store: &Store, kind: ImportKind, bytes: &[u8]) -> Result<ImportPreview> {
    preview_reporting(store, kind, bytes, &AtomicBool::new(false), &mut |_| {})
}

/// [`preview`], telling `progress` how far the check has got ("Checking line
/// 400 of 1,000") about a hundred times: a book of lines takes a second or
/// two to check against a large agency's records. `stop` set (another file
/// or kind chosen meanwhile) ends it with [`Error::Stopped`].
pub fn preview_reporting(
    store: &Store,
    kind: ImportKind,
    bytes: &[u8],
    stop: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportPreview> {
    Ok(check(store.read(), kind, bytes, store.today(), stop, progress)?.1)
}

/// A file imported, and what its care packages did to the visits already
/// made.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Imported {
    pub count: u32,
    /// "The rota already made up to … follows the change: 40 visits
    /// added."; empty when no visit changed.
    pub said: String,
}

/// How far an import has got, for its progress bar: the file's lines
/// checked again, then written, then, for care packages, their clients'
/// visits made in the rota already rolled (a whole book's month of visits
/// takes seconds).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
    /// "Checking line 400 of 1,000", "Writing line 400 of 1,000" or
    /// "Making the visits of client 300 of 1,000".
    pub said: String,
}

/// Imports the whole file in one transaction, or nothing: any problem
/// refuses it, each reported as "line N" with the field and reason. Care
/// packages make their visits from now to the last day made, in the same
/// transaction, as a package saved on its form does.
pub fn import(store: &mut Store, kind: ImportKind, bytes: &[u8]) -> Result<Imported> {
    import_reporting(store, kind, bytes, &AtomicBool::new(false), &mut |_| {})
}

/// [`import`], telling `progress` how far it has got about a hundred times
/// a step. Each time, `stop` set (the person pressed Stop) ends it with
/// [`Error::Stopped`], the transaction rolled back: nothing is imported.
pub fn import_reporting(
    store: &mut Store,
    kind: ImportKind,
    bytes: &[u8],
    stop: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<Imported> {
    store.permit(Operation::EditPeople)?;
    let (records, preview) = check(store.read(), kind, bytes, store.today(), stop, progress)?;
    if !preview.ready {
        if preview.problems.is_empty() {
            return Err(Error::Conflict("The file has no lines to import".into()));
        }
        let details = preview
            .problems
            .iter()
            .map(|p| FieldError { field: format!("line {}", p.line), message: format!("{}: {}", p.field, p.message) });
        return Err(Error::Invalid(details.collect()));
    }
    let count = records.len() as u32;
    // The clients whose packages come in, each once.
    let clients: std::collections::BTreeSet<uuid::Uuid> = records
        .iter()
        .filter_map(|record| match record {
            Record::Package(p) => Some(p.client_id),
            _ => None,
        })
        .collect();
    let clients: Vec<uuid::Uuid> = clients.into_iter().collect();
    store.write(Operation::EditPeople, |changes| {
        for (n, record) in records.iter().enumerate() {
            every_hundredth(n as u32 + 1, count, "Writing line", stop, progress)?;
            match record {
                Record::Carer(r) => {
                    changes.insert(&r.carer)?;
                    changes.replace_children(&[], &r.skills)?;
                    changes.replace_children(&[], &r.availability)?;
                    changes.replace_children(&[], &r.absences)?;
                }
                Record::Client(r) => {
                    people::client_service::write_client(changes, None, r)?;
                }
                Record::Package(p) => changes.insert(p)?,
                Record::Hours(week) => changes.replace_children(week.before.as_slice(), week.after.as_slice())?,
            }
        }
        let mut made = |done, total| every_hundredth(done, total, "Making the visits of client", stop, progress);
        let said = crate::rota::follow::reach(changes, &clients, true, &mut made)?.said;
        Ok(Imported { count, said })
    })
}

/// Tells `progress` of the first of `total`, the last, and every hundredth
/// part between: a bar moves smoothly without a message per line. Each
/// time, an import asked to stop ends with [`Error::Stopped`].
fn every_hundredth(
    done: u32,
    total: u32,
    what: &str,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<()> {
    if worth_telling(done, total) {
        if stop.load(Ordering::Relaxed) {
            return Err(Error::Stopped("Import stopped: nothing was imported.".into()));
        }
        let said = format!("{what} {} of {}", figure(done), figure(total));
        progress(&ImportProgress { done, total, said });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::every_hundredth;
    use std::sync::atomic::AtomicBool;

    fn heard(total: u32) -> Vec<String> {
        let mut heard = Vec::new();
        for done in 1..=total {
            every_hundredth(done, total, "Writing line", &AtomicBool::new(false), &mut |p| heard.push(p.said.clone()))
                .unwrap();
        }
        heard
    }

    #[test]
    fn a_book_of_a_thousand_lines_is_heard_a_hundred_times_and_at_its_first_and_last() {
        let said = heard(1_000);
        assert_eq!(said.len(), 101, "the first, then every tenth line");
        assert_eq!(said[..2], ["Writing line 1 of 1,000", "Writing line 10 of 1,000"]);
        assert_eq!(said.last().map(String::as_str), Some("Writing line 1,000 of 1,000"));
    }

    #[test]
    fn a_file_whose_size_is_not_a_round_hundred_still_ends_at_its_last_line() {
        let said = heard(1_055);
        assert_eq!(said.last().map(String::as_str), Some("Writing line 1,055 of 1,055"));
        assert_eq!(said.len(), 1 + 105 + 1, "the first, every tenth, and the last");
        assert_eq!(heard(3), ["Writing line 1 of 3", "Writing line 2 of 3", "Writing line 3 of 3"]);
    }
}
