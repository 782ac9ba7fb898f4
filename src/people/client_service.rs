//! What the app does with clients and their care packages: list, search and
//! sort, open one, and save the client and package forms through the write path.

use super::carer_service::carer_exists;
use super::clients::{
    CarerGenderPreference, CarerPreference, Client, ClientInput, ClientRecords, ClientStatus, KeyPerson,
};
use super::common::Gender;
use super::common::{like_patterns, ListQuery};
use super::packages::{CarePackage, PackageInput};
use super::skills::skill_codes;
use crate::access::Operation;
use crate::error::{Error, Result};
use crate::store::{find_live, row_enum, row_uuid, Changes, Store};
use chrono::NaiveDate;
use rusqlite::{params_from_iter, Connection};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// One line of the clients list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClientRow {
    pub id: Uuid,
    pub name: String,
    pub town: String,
    pub postcode: String,
    pub status: ClientStatus,
    pub packages: u32,
    /// Planned hours of care a week across current packages (a two-carer
    /// visit counts once: this is the client's time, not staff time).
    pub weekly_hours: f64,
    pub double_ups: u32,
    pub time_critical: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PreferenceView {
    pub preference: CarerPreference,
    pub carer_name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClientDetail {
    pub client: Client,
    pub key_people: Vec<KeyPerson>,
    pub carer_preferences: Vec<PreferenceView>,
    pub packages: Vec<CarePackage>,
    pub weekly_hours: f64,
}

const CLIENT_SORTS: &[(&str, &str)] = &[
    ("name", "c.family_name COLLATE NOCASE, c.given_name COLLATE NOCASE"),
    ("town", "c.town COLLATE NOCASE, c.family_name COLLATE NOCASE"),
    ("postcode", "c.postcode, c.family_name COLLATE NOCASE"),
    ("status", "c.status, c.family_name COLLATE NOCASE"),
    ("packages", "packages, c.family_name COLLATE NOCASE"),
    ("weekly_hours", "weekly_hours, c.family_name COLLATE NOCASE"),
];

/// Weekly minutes of one package: days a week × duration, averaged over its cycle.
const WEEKLY_MINUTES: &str =
    "p.duration_min * json_array_length(p.weekdays) * json_array_length(p.cycle_week_list) * 1.0 / p.cycle_weeks";

pub fn list_clients(conn: &Connection, query: &ListQuery, today: NaiveDate) -> Result<Vec<ClientRow>> {
    let order = CLIENT_SORTS.iter().find(|(name, _)| *name == query.sort).map_or(CLIENT_SORTS[0].1, |(_, sql)| sql);
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = order.split(", ").map(|part| format!("{part} {direction}")).collect::<Vec<_>>().join(", ");
    let patterns = like_patterns(&query.search);
    let filters: String = (0..patterns.len())
        .map(|i| {
            let p = i + 2;
            format!(
                " AND (c.given_name || ' ' || c.family_name || ' ' || c.preferred_name LIKE ?{p} ESCAPE '\\' \
                 OR c.postcode LIKE ?{p} ESCAPE '\\' OR c.town LIKE ?{p} ESCAPE '\\' OR c.address_line1 LIKE ?{p} ESCAPE '\\')"
            )
        })
        .collect();
    let sql = format!(
        "WITH current AS (
             SELECT p.client_id, count(*) AS packages, sum({WEEKLY_MINUTES}) / 60.0 AS weekly_hours,
                    sum(p.carers_required = 2) AS double_ups, sum(p.time_critical) AS time_critical
             FROM care_packages p
             WHERE p.deleted_at IS NULL AND p.starts_on <= ?1 AND (p.ends_on IS NULL OR p.ends_on >= ?1)
             GROUP BY p.client_id)
         SELECT c.id, c.given_name, c.family_name, c.town, c.postcode, c.status,
                coalesce(k.packages, 0) AS packages, round(coalesce(k.weekly_hours, 0), 2) AS weekly_hours,
                coalesce(k.double_ups, 0) AS double_ups, coalesce(k.time_critical, 0) AS time_critical
         FROM clients c LEFT JOIN current k ON k.client_id = c.id
         WHERE c.deleted_at IS NULL {filters}
         ORDER BY {order}"
    );
    let params = std::iter::once(today.format("%Y-%m-%d").to_string()).chain(patterns);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(params), |row| {
        let given: String = row.get("given_name")?;
        let family: String = row.get("family_name")?;
        Ok(ClientRow {
            id: row_uuid(row, "id")?,
            name: format!("{family}, {given}"),
            town: row.get("town")?,
            postcode: row.get("postcode")?,
            status: row_enum(row, "status", ClientStatus::parse)?,
            packages: row.get("packages")?,
            weekly_hours: row.get("weekly_hours")?,
            double_ups: row.get("double_ups")?,
            time_critical: row.get("time_critical")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn load_client(conn: &Connection, id: Uuid) -> Result<ClientRecords> {
    let key = id.to_string();
    let client = find_live(conn, "clients", id, "Client", Client::from_row)?;
    let key_people = conn
        .prepare_cached("SELECT * FROM client_key_people WHERE client_id = ?1 AND deleted_at IS NULL ORDER BY name")?
        .query_map([&key], KeyPerson::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let carer_preferences = conn
        .prepare_cached(
            "SELECT * FROM client_carer_preferences WHERE client_id = ?1 AND deleted_at IS NULL ORDER BY kind DESC, id",
        )?
        .query_map([&key], CarerPreference::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ClientRecords { client, key_people, carer_preferences })
}

pub fn packages_of(conn: &Connection, client_id: Uuid) -> Result<Vec<CarePackage>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM care_packages WHERE client_id = ?1 AND deleted_at IS NULL ORDER BY start_time, label",
    )?;
    let rows = stmt.query_map([client_id.to_string()], CarePackage::from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn load_package(conn: &Connection, id: Uuid) -> Result<CarePackage> {
    find_live(conn, "care_packages", id, "Care package", CarePackage::from_row)
}

pub fn client_detail(conn: &Connection, id: Uuid, today: NaiveDate) -> Result<ClientDetail> {
    let records = load_client(conn, id)?;
    let mut name_stmt = conn.prepare_cached("SELECT given_name || ' ' || family_name FROM carers WHERE id = ?1")?;
    let carer_preferences = records
        .carer_preferences
        .into_iter()
        .map(|p| {
            let carer_name: String = name_stmt.query_row([p.carer_id.to_string()], |r| r.get(0))?;
            Ok(PreferenceView { preference: p, carer_name })
        })
        .collect::<Result<_>>()?;
    let packages = packages_of(conn, id)?;
    let weekly_hours = packages
        .iter()
        .filter(|p| p.starts_on <= today && p.ends_on.is_none_or(|end| end >= today))
        .map(|p| {
            f64::from(p.duration_min) * p.weekdays.len() as f64 * p.cycle_week_list.len() as f64
                / f64::from(p.cycle_weeks)
                / 60.0
        })
        .sum::<f64>();
    Ok(ClientDetail {
        client: records.client,
        key_people: records.key_people,
        carer_preferences,
        packages,
        weekly_hours: (weekly_hours * 100.0).round() / 100.0,
    })
}

/// The form for an existing client, or a blank one for a new client.
pub fn client_form(conn: &Connection, id: Option<Uuid>) -> Result<ClientInput> {
    match id {
        Some(id) => Ok(ClientInput::from(&load_client(conn, id)?)),
        None => Ok(ClientInput {
            status: Some(ClientStatus::Active),
            gender: Some(Gender::Unspecified),
            preferred_carer_gender: Some(CarerGenderPreference::Any),
            ..ClientInput::default()
        }),
    }
}

/// Saves the client's records alone. The app saves through
/// `rota::follow::save_client`, which also brings the visits already made
/// into line with a change of status.
pub fn save_client(store: &mut Store, input: &ClientInput) -> Result<Uuid> {
    let records = client_records(store, input)?;
    store.write(Operation::EditPeople, |changes| write_client(changes, input.id, &records))
}

/// The records `input` saves, or why it cannot be saved.
pub(crate) fn client_records(store: &Store, input: &ClientInput) -> Result<ClientRecords> {
    let conn = store.read();
    input.validate(store.today(), &|carer| carer_exists(conn, carer).unwrap_or(false))
}

/// Writes a client's records, new or over `existing`, in `changes`' transaction.
pub(crate) fn write_client(changes: &mut Changes, existing: Option<Uuid>, records: &ClientRecords) -> Result<Uuid> {
    match existing {
        Some(existing) => {
            let before = load_client(changes.read(), existing)?;
            changes.update(&before.client, &records.client)?;
            changes.replace_children(&before.key_people, &records.key_people)?;
            changes.replace_children(&before.carer_preferences, &records.carer_preferences)?;
        }
        None => {
            changes.insert(&records.client)?;
            changes.replace_children(&[], &records.key_people)?;
            changes.replace_children(&[], &records.carer_preferences)?;
        }
    }
    Ok(records.client.id)
}

/// The form for an existing package, or a new one for `client_id` with the
/// usual defaults (a 30-minute single-carer call every week).
pub fn package_form(conn: &Connection, id: Option<Uuid>, client_id: Uuid, today: NaiveDate) -> Result<PackageInput> {
    match id {
        Some(id) => Ok(PackageInput::from(&load_package(conn, id)?)),
        None => {
            load_client(conn, client_id)?;
            Ok(new_package_form(client_id, today))
        }
    }
}

pub(crate) fn new_package_form(client_id: Uuid, today: NaiveDate) -> PackageInput {
    PackageInput {
        client_id: Some(client_id),
        duration_min: Some(30.0),
        carers_required: Some(1.0),
        flex_min: Some(30.0),
        cycle_weeks: Some(1.0),
        cycle_week_list: vec![1],
        starts_on: today.format("%Y-%m-%d").to_string(),
        ..PackageInput::default()
    }
}

/// Saves the package alone. The app saves through
/// `rota::follow::save_package`, which also brings the visits already made
/// into line with it.
pub fn save_package(store: &mut Store, input: &PackageInput) -> Result<Uuid> {
    let package = input.validate(&skill_codes(store.read())?)?;
    store.write(Operation::EditPeople, |changes| write_package(changes, input.id, &package))
}

/// Validates `input` against the agency's skills.
pub(crate) fn package_of(conn: &Connection, input: &PackageInput) -> Result<CarePackage> {
    input.validate(&skill_codes(conn)?)
}

/// Writes a package, new or over `existing`, in `changes`' transaction.
pub(crate) fn write_package(changes: &mut Changes, existing: Option<Uuid>, package: &CarePackage) -> Result<Uuid> {
    load_client(changes.read(), package.client_id)?;
    match existing {
        Some(existing) => {
            let before = load_package(changes.read(), existing)?;
            if before.client_id != package.client_id {
                return Err(Error::Conflict("A care package cannot move to another client".into()));
            }
            changes.update(&before, package)?;
        }
        None => changes.insert(package)?,
    }
    Ok(package.id)
}

/// Removes a package template (a tombstone: its history stays readable),
/// alone; the app removes through `rota::follow::delete_package`.
pub fn delete_package(store: &mut Store, id: Uuid) -> Result<()> {
    store.write(Operation::EditPeople, |changes| tombstone_package(changes, id).map(|_| ()))
}

/// Tombstones package `id` in `changes`' transaction; says whose it was.
pub(crate) fn tombstone_package(changes: &mut Changes, id: Uuid) -> Result<Uuid> {
    let before = load_package(changes.read(), id)?;
    changes.tombstone(&before)?;
    Ok(before.client_id)
}
