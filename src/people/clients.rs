//! Clients: the record, their key people, the carers they prefer or have
//! excluded, the form a person fills in, and how a form becomes records.

use super::common::{self as check, text_enum, Gender};
use crate::error::{FieldErrors, Result};
use crate::record_fields;
use crate::store::{row_enum, row_opt_date, row_uuid, Columns, Record};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

text_enum!(ClientStatus {
    Active = "active": "Active",
    InHospital = "in_hospital": "In hospital",
    Suspended = "suspended": "Suspended",
    Ended = "ended": "Ended",
});

text_enum!(Funding {
    LocalAuthority = "local_authority": "Local authority",
    NhsChc = "nhs_chc": "NHS continuing healthcare",
    Private = "private": "Private",
    DirectPayment = "direct_payment": "Direct payment",
    Mixed = "mixed": "Mixed",
});

text_enum!(CarerGenderPreference {
    Any = "any": "No preference",
    Female = "female": "Female carers only",
    Male = "male": "Male carers only",
});

text_enum!(PreferenceKind {
    Preferred = "preferred": "Preferred",
    Excluded = "excluded": "Excluded",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Client {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Gender,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub town: String,
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    /// Key-safe code and how to get in: sensitive, shown only where needed.
    pub access_notes: String,
    pub preferred_carer_gender: CarerGenderPreference,
    pub language: String,
    pub status: ClientStatus,
    pub status_from: Option<NaiveDate>,
    pub status_until: Option<NaiveDate>,
    pub funding: Funding,
    pub funding_reference: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct KeyPerson {
    pub id: Uuid,
    pub client_id: Uuid,
    pub name: String,
    pub relationship: String,
    pub phone: String,
    pub email: String,
    /// The client has agreed that this person may be told about changes.
    pub consent_to_inform: bool,
    pub is_emergency_contact: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CarerPreference {
    pub id: Uuid,
    pub client_id: Uuid,
    pub carer_id: Uuid,
    pub kind: PreferenceKind,
    pub reason: String,
}

impl Record for Client {
    const ENTITY: &'static str = "clients";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; given_name, family_name, preferred_name, date_of_birth, gender, phone,
            address_line1, address_line2, town, postcode, lat, lon, access_notes, preferred_carer_gender,
            language, status, status_from, status_until, funding, funding_reference, notes)
    }
}

impl Record for KeyPerson {
    const ENTITY: &'static str = "client_key_people";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; client_id, name, relationship, phone, email, consent_to_inform, is_emergency_contact)
    }
}

impl Record for CarerPreference {
    const ENTITY: &'static str = "client_carer_preferences";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; client_id, carer_id, kind, reason)
    }
}

impl Client {
    pub fn full_name(&self) -> String {
        self.name().to_string()
    }

    /// The full name, written only where it is shown.
    pub fn name(&self) -> super::common::FullName<'_> {
        super::common::FullName(&self.given_name, &self.family_name)
    }

    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Self::from_columns(row, &Columns::of(row.as_ref()))
    }

    /// `from_row` with the columns' places looked up once for many rows.
    pub(crate) fn from_columns(row: &Row, c: &Columns) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, c.at("id"))?,
            given_name: row.get(c.at("given_name"))?,
            family_name: row.get(c.at("family_name"))?,
            preferred_name: row.get(c.at("preferred_name"))?,
            date_of_birth: row_opt_date(row, c.at("date_of_birth"))?,
            gender: row_enum(row, c.at("gender"), Gender::parse)?,
            phone: row.get(c.at("phone"))?,
            address_line1: row.get(c.at("address_line1"))?,
            address_line2: row.get(c.at("address_line2"))?,
            town: row.get(c.at("town"))?,
            postcode: row.get(c.at("postcode"))?,
            lat: row.get(c.at("lat"))?,
            lon: row.get(c.at("lon"))?,
            access_notes: row.get(c.at("access_notes"))?,
            preferred_carer_gender: row_enum(row, c.at("preferred_carer_gender"), CarerGenderPreference::parse)?,
            language: row.get(c.at("language"))?,
            status: row_enum(row, c.at("status"), ClientStatus::parse)?,
            status_from: row_opt_date(row, c.at("status_from"))?,
            status_until: row_opt_date(row, c.at("status_until"))?,
            funding: row_enum(row, c.at("funding"), Funding::parse)?,
            funding_reference: row.get(c.at("funding_reference"))?,
            notes: row.get(c.at("notes"))?,
        })
    }
}

impl KeyPerson {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            client_id: row_uuid(row, "client_id")?,
            name: row.get("name")?,
            relationship: row.get("relationship")?,
            phone: row.get("phone")?,
            email: row.get("email")?,
            consent_to_inform: row.get("consent_to_inform")?,
            is_emergency_contact: row.get("is_emergency_contact")?,
        })
    }
}

impl CarerPreference {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            client_id: row_uuid(row, "client_id")?,
            carer_id: row_uuid(row, "carer_id")?,
            kind: row_enum(row, "kind", PreferenceKind::parse)?,
            reason: row.get("reason")?,
        })
    }
}

/// The client form as typed (see `CarerInput` for why text stays text).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct ClientInput {
    pub id: Option<Uuid>,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: String,
    pub date_of_birth: String,
    pub gender: Option<Gender>,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub town: String,
    pub postcode: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub access_notes: String,
    pub preferred_carer_gender: Option<CarerGenderPreference>,
    pub language: String,
    pub status: Option<ClientStatus>,
    pub status_from: String,
    pub status_until: String,
    pub funding: Option<Funding>,
    pub funding_reference: String,
    pub notes: String,
    pub key_people: Vec<KeyPersonInput>,
    pub carer_preferences: Vec<PreferenceInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct KeyPersonInput {
    pub id: Option<Uuid>,
    pub name: String,
    pub relationship: String,
    pub phone: String,
    pub email: String,
    pub consent_to_inform: bool,
    pub is_emergency_contact: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct PreferenceInput {
    pub id: Option<Uuid>,
    pub carer_id: Option<Uuid>,
    pub kind: Option<PreferenceKind>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientRecords {
    pub client: Client,
    pub key_people: Vec<KeyPerson>,
    pub carer_preferences: Vec<CarerPreference>,
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl From<&ClientRecords> for ClientInput {
    fn from(r: &ClientRecords) -> Self {
        let c = &r.client;
        ClientInput {
            id: Some(c.id),
            given_name: c.given_name.clone(),
            family_name: c.family_name.clone(),
            preferred_name: c.preferred_name.clone(),
            date_of_birth: date_text(c.date_of_birth),
            gender: Some(c.gender),
            phone: c.phone.clone(),
            address_line1: c.address_line1.clone(),
            address_line2: c.address_line2.clone(),
            town: c.town.clone(),
            postcode: c.postcode.clone(),
            lat: Some(c.lat),
            lon: Some(c.lon),
            access_notes: c.access_notes.clone(),
            preferred_carer_gender: Some(c.preferred_carer_gender),
            language: c.language.clone(),
            status: Some(c.status),
            status_from: date_text(c.status_from),
            status_until: date_text(c.status_until),
            funding: Some(c.funding),
            funding_reference: c.funding_reference.clone(),
            notes: c.notes.clone(),
            key_people: r
                .key_people
                .iter()
                .map(|k| KeyPersonInput {
                    id: Some(k.id),
                    name: k.name.clone(),
                    relationship: k.relationship.clone(),
                    phone: k.phone.clone(),
                    email: k.email.clone(),
                    consent_to_inform: k.consent_to_inform,
                    is_emergency_contact: k.is_emergency_contact,
                })
                .collect(),
            carer_preferences: r
                .carer_preferences
                .iter()
                .map(|p| PreferenceInput {
                    id: Some(p.id),
                    carer_id: Some(p.carer_id),
                    kind: Some(p.kind),
                    reason: p.reason.clone(),
                })
                .collect(),
        }
    }
}

impl ClientInput {
    /// Checks every field and builds the records; `carer_exists` answers
    /// whether a preferred or excluded carer is on the books.
    pub fn validate(&self, today: NaiveDate, carer_exists: &dyn Fn(Uuid) -> bool) -> Result<ClientRecords> {
        let mut e = FieldErrors::new();
        let id = self.id.unwrap_or_else(crate::ids::new_id);
        let (lat, lon) = check::uk_point(&mut e, "lat", "lon", self.lat, self.lon);
        let date_of_birth = check::optional_date(&mut e, "date_of_birth", &self.date_of_birth);
        if date_of_birth.is_some_and(|d| d > today) {
            e.add("date_of_birth", "The date of birth cannot be in the future");
        }
        let status = self.status.unwrap_or(ClientStatus::Active);
        let status_from = check::optional_date(&mut e, "status_from", &self.status_from);
        let status_until = check::optional_date(&mut e, "status_until", &self.status_until);
        if status != ClientStatus::Active && status_from.is_none() && self.status_from.trim().is_empty() {
            e.add("status_from", format!("Enter the date the client became \"{}\"", status.label().to_lowercase()));
        }
        if let (Some(from), Some(until)) = (status_from, status_until) {
            if until < from {
                e.add("status_until", "The expected end cannot be before the start of this status");
            }
        }
        let client = Client {
            id,
            given_name: check::require_text(&mut e, "given_name", &self.given_name, "a first name"),
            family_name: check::require_text(&mut e, "family_name", &self.family_name, "a last name"),
            preferred_name: check::clean(&self.preferred_name),
            date_of_birth,
            gender: self.gender.unwrap_or(Gender::Unspecified),
            phone: check::phone(&mut e, "phone", &self.phone, false),
            address_line1: check::require_text(
                &mut e,
                "address_line1",
                &self.address_line1,
                "the first line of the address",
            ),
            address_line2: check::clean(&self.address_line2),
            town: check::require_text(&mut e, "town", &self.town, "the town"),
            postcode: check::postcode(&mut e, "postcode", &self.postcode),
            lat,
            lon,
            access_notes: self.access_notes.trim().to_string(),
            preferred_carer_gender: self.preferred_carer_gender.unwrap_or(CarerGenderPreference::Any),
            language: check::clean(&self.language),
            status,
            // An active client carries no status dates.
            status_from: if status == ClientStatus::Active { None } else { status_from },
            status_until: if status == ClientStatus::Active { None } else { status_until },
            funding: self.funding.unwrap_or_else(|| {
                e.add("funding", "Choose how the care is funded");
                Funding::Private
            }),
            funding_reference: check::clean(&self.funding_reference),
            notes: self.notes.trim().to_string(),
        };
        let key_people = self.validate_key_people(&mut e, id);
        let carer_preferences = self.validate_preferences(&mut e, id, carer_exists);
        e.finish(ClientRecords { client, key_people, carer_preferences })
    }

    fn validate_key_people(&self, e: &mut FieldErrors, client_id: Uuid) -> Vec<KeyPerson> {
        self.key_people
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let name = check::require_text(e, &format!("key_people[{i}].name"), &k.name, "the person's name");
                let phone = check::phone(e, &format!("key_people[{i}].phone"), &k.phone, false);
                let email = check::email(e, &format!("key_people[{i}].email"), &k.email);
                if k.consent_to_inform && phone.is_empty() && email.is_empty() {
                    e.add(
                        format!("key_people[{i}].phone"),
                        "Give a phone number or email so they can be told of changes",
                    );
                }
                KeyPerson {
                    id: k.id.unwrap_or_else(crate::ids::new_id),
                    client_id,
                    name,
                    relationship: check::clean(&k.relationship),
                    phone,
                    email,
                    consent_to_inform: k.consent_to_inform,
                    is_emergency_contact: k.is_emergency_contact,
                }
            })
            .collect()
    }

    fn validate_preferences(
        &self,
        e: &mut FieldErrors,
        client_id: Uuid,
        carer_exists: &dyn Fn(Uuid) -> bool,
    ) -> Vec<CarerPreference> {
        let mut seen: Vec<Uuid> = Vec::new();
        let mut preferences = Vec::new();
        for (i, p) in self.carer_preferences.iter().enumerate() {
            let field = format!("carer_preferences[{i}].carer_id");
            let Some(carer_id) = p.carer_id else {
                e.add(field, "Choose a carer");
                continue;
            };
            if !carer_exists(carer_id) {
                e.add(&field, "This carer does not exist (or has been removed)");
            } else if seen.contains(&carer_id) {
                e.add(&field, "This carer is listed twice: a carer is either preferred or excluded");
            }
            seen.push(carer_id);
            let kind = p.kind.unwrap_or_else(|| {
                e.add(format!("carer_preferences[{i}].kind"), "Choose preferred or excluded");
                PreferenceKind::Preferred
            });
            if kind == PreferenceKind::Excluded && p.reason.trim().is_empty() {
                e.add(format!("carer_preferences[{i}].reason"), "Record why this carer must not visit");
            }
            preferences.push(CarerPreference {
                id: p.id.unwrap_or_else(crate::ids::new_id),
                client_id,
                carer_id,
                kind,
                reason: check::clean(&p.reason),
            });
        }
        preferences
    }
}
