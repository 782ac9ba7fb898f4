//! The demo agency: a deterministic, believable home-care branch around
//! Shrewsbury. The same size, seed and date always give the same agency.
//!
//! `generate` is pure (plain values in, plain values out); `load` writes the
//! result through the one write path, so demo data has history like any other.

mod incidents;
mod names;
mod on_call;
mod risk;
pub mod rota;
mod town;

pub use incidents::DemoIncident;
pub use risk::DemoAssessment;

use crate::access::Operation;
use crate::error::{Error, Result};
use crate::people::{
    Absence, AbsenceKind, Availability, CarePackage, Carer, CarerGenderPreference, CarerPreference, CarerRecords,
    CarerSkill, Client, ClientRecords, ClientStatus, Funding, Gender, KeyPerson, PreferenceKind, Transport, Weekday,
};
use crate::store::Store;
use chrono::{Duration, NaiveDate, NaiveTime};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Small,
    Large,
    Huge,
}

impl Size {
    /// (carers, clients): the small agency has the carers its care needs at
    /// its peaks (with 45, a sixth of the 07:00 and 20:00 calls found nobody
    /// free), the large and huge ones the counts architecture.md gives them.
    pub fn counts(self) -> (usize, usize) {
        match self {
            Size::Small => (62, 80),
            Size::Large => (300, 1_000),
            Size::Huge => (1_500, 5_000),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "small" => Some(Size::Small),
            "large" => Some(Size::Large),
            "huge" => Some(Size::Huge),
            _ => None,
        }
    }
}

pub struct DemoAgency {
    pub carers: Vec<CarerRecords>,
    pub clients: Vec<ClientRecords>,
    pub packages: Vec<CarePackage>,
    /// Two years of incidents up to `today`.
    pub incidents: Vec<DemoIncident>,
    /// The on-call roster from last week to five weeks on.
    pub on_call_patterns: Vec<crate::oncall::OnCallPattern>,
    pub on_call_shifts: Vec<crate::oncall::OnCallShift>,
    /// The homes' lone-working risk assessments, one version each.
    pub risk_assessments: Vec<DemoAssessment>,
}

struct Gen {
    rng: ChaCha8Rng,
    next_id: u64,
    today: NaiveDate,
}

impl Gen {
    /// Reproducible v7 ids: a fixed base time plus a counter, random bits from the seed.
    fn id(&mut self) -> Uuid {
        self.next_id += 1;
        let random: [u8; 10] = self.rng.random();
        crate::ids::id_from_parts(1_735_689_600_000 + self.next_id, random)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).expect("non-empty list")
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn days_from_today(&mut self, range: std::ops::Range<i64>) -> NaiveDate {
        self.today + Duration::days(self.rng.random_range(range))
    }

    fn address(&mut self) -> (String, String, String, f64, f64) {
        self.address_among(town::PLACES)
    }

    fn address_among(&mut self, places: &[town::Place]) -> (String, String, String, f64, f64) {
        let (street, town, district, sectors, lat, lon) = self.pick(places);
        let number = self.rng.random_range(1..180);
        let letters = b"ABDEFGHJLNPQRSTUWXYZ";
        let unit = format!(
            "{} {}{}{}",
            district,
            self.pick(sectors),
            letters[self.rng.random_range(0..letters.len())] as char,
            letters[self.rng.random_range(0..letters.len())] as char
        );
        // Spread homes around the place by up to ~600 m.
        let lat = lat + self.rng.random_range(-0.0055..0.0055);
        let lon = lon + self.rng.random_range(-0.0085..0.0085);
        let line1 = if street.contains(' ')
            && !["Bayston Hill", "Bicton Heath", "Meole Brace", "Sutton Farm"].contains(&street)
        {
            format!("{number} {street}")
        } else {
            format!("{number} Church Lane, {street}")
        };
        (line1, town.to_string(), unit, (lat * 1e5).round() / 1e5, (lon * 1e5).round() / 1e5)
    }

    fn phone(&mut self, mobile: bool) -> String {
        if mobile {
            format!("07{:03} {:06}", self.rng.random_range(700..999), self.rng.random_range(0..1_000_000))
        } else {
            format!("01743 {:06}", self.rng.random_range(200_000..399_999))
        }
    }
}

const CORE_SKILLS: &[&str] = &["personal_care", "safeguarding", "infection_control", "manual_handling"];

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

/// Builds the agency for `size`, reproducibly from `seed`, with dates set
/// around `today` (so some certificates are just expiring, some clients
/// have just gone into hospital).
pub fn generate(size: Size, seed: u64, today: NaiveDate) -> DemoAgency {
    let mut g = Gen { rng: ChaCha8Rng::seed_from_u64(seed), next_id: 0, today };
    let (carer_count, client_count) = size.counts();
    let carers: Vec<CarerRecords> = (0..carer_count).map(|_| carer(&mut g)).collect();
    let mut clients = Vec::with_capacity(client_count);
    let mut packages = Vec::new();
    for index in 0..client_count {
        let records = client(&mut g, &carers, index);
        packages.extend(client_packages(&mut g, &records.client));
        clients.push(records);
    }
    // Incidents come last, so adding them left the people as they were.
    let now = chrono::TimeZone::from_local_datetime(&chrono_tz::Europe::London, &today.and_time(time(9, 0)))
        .earliest()
        .expect("09:00 exists every day")
        .with_timezone(&chrono::Utc);
    let incidents = incidents::history(&mut g, &carers, &clients, now);
    let (on_call_patterns, on_call_shifts) = on_call::roster(&mut g);
    let risk_assessments = risk::assessments(&mut g, &clients, &packages);
    DemoAgency { carers, clients, packages, incidents, on_call_patterns, on_call_shifts, risk_assessments }
}

fn carer(g: &mut Gen) -> CarerRecords {
    let id = g.id();
    let female = g.chance(0.82);
    let given = g.pick(if female { names::CARER_WOMEN } else { names::CARER_MEN });
    let family = g.pick(names::FAMILY);
    let transport = match g.rng.random_range(0..100) {
        0..75 => Transport::Car,
        75..85 => Transport::Foot,
        85..93 => Transport::Bicycle,
        _ => Transport::PublicTransport,
    };
    // Those who walk or cycle to work live in the town, not in a village
    // 20 km from its calls.
    let (line1, town, postcode, lat, lon) = match transport {
        Transport::Foot | Transport::Bicycle => g.address_among(&town::in_town()),
        _ => g.address(),
    };
    let contracted = g.pick(&[20.0, 25.0, 30.0, 30.0, 37.5, 37.5]);
    let opt_out = g.chance(0.2);
    let max_hours: f64 = if opt_out { contracted + 20.0 } else { (contracted + 10.0_f64).min(48.0) };
    let started_on = g.days_from_today(-2200..-20);
    let mut languages = vec!["English".to_string()];
    match family {
        "Nowak" | "Kowalski" => languages.push("Polish".into()),
        "Popescu" => languages.push("Romanian".into()),
        "Patel" | "Singh" => languages.push("Punjabi".into()),
        "Reyes" => languages.push("Tagalog".into()),
        "Tudor" | "Vaughan" | "Pugh" | "Parry" if g.chance(0.5) => languages.push("Welsh".into()),
        _ => {}
    }
    let carer = Carer {
        id,
        given_name: given.into(),
        family_name: family.into(),
        gender: if female { Gender::Female } else { Gender::Male },
        phone: g.phone(true),
        email: format!("{}.{}@example.org", given.to_lowercase(), family.to_lowercase()),
        address_line1: line1,
        address_line2: String::new(),
        town,
        postcode,
        home_lat: lat,
        home_lon: lon,
        transport,
        languages,
        started_on,
        left_on: None,
        // Most DBS renewals are years away; a few are due or overdue.
        dbs_expires_on: Some(g.days_from_today(-20..1000)),
        right_to_work_expires_on: if g.chance(0.2) { Some(g.days_from_today(10..900)) } else { None },
        contracted_hours: contracted,
        max_hours,
        wtr_opt_out: opt_out,
        notes: String::new(),
    };
    let mut skills: Vec<CarerSkill> = Vec::new();
    let mut add = |g: &mut Gen, skill: &str, expires: Option<NaiveDate>| {
        skills.push(CarerSkill { id: g.id(), carer_id: id, skill: skill.into(), expires_on: expires })
    };
    for skill in CORE_SKILLS {
        let expires = g.days_from_today(-10..700);
        add(g, skill, if *skill == "personal_care" { None } else { Some(expires) });
    }
    for (skill, share) in [
        ("medication_l2", 0.9),
        ("medication_l3", 0.25),
        ("insulin", 0.4),
        ("hoist", 0.6),
        ("dementia", 0.5),
        ("end_of_life", 0.2),
        ("peg_feeding", 0.08),
        ("catheter_care", 0.25),
        ("parkinsons", 0.25),
        ("first_aid", 0.5),
    ] {
        if g.chance(share) {
            let expires = g.days_from_today(-15..500);
            add(g, skill, Some(expires));
        }
    }
    if transport == Transport::Car {
        add(g, "driver", None);
    }
    let availability = availability(g, id, contracted);
    let mut absences = Vec::new();
    if g.chance(0.06) {
        let starts_on = g.days_from_today(3..60);
        let length = g.rng.random_range(2..12);
        absences.push(Absence {
            id: g.id(),
            carer_id: id,
            kind: AbsenceKind::AnnualLeave,
            starts_on,
            from_time: None,
            ends_on: starts_on + Duration::days(length),
            note: String::new(),
        });
    }
    if g.chance(0.03) {
        let starts_on = g.days_from_today(-4..0);
        absences.push(Absence {
            id: g.id(),
            carer_id: id,
            kind: AbsenceKind::Sickness,
            starts_on,
            from_time: None,
            ends_on: today_plus(g, 2),
            note: "Phoned in sick".into(),
        });
    }
    CarerRecords { carer, skills, availability, absences }
}

fn today_plus(g: &Gen, days: i64) -> NaiveDate {
    g.today + Duration::days(days)
}

/// A weekly pattern in the shapes home care really runs on.
fn availability(g: &mut Gen, carer_id: Uuid, contracted: f64) -> Vec<Availability> {
    // Most care is wanted in the morning, so most carers work then; a
    // split shift ends early enough for 11 hours' rest before the next.
    let shifts: &[(NaiveTime, NaiveTime)] = match g.rng.random_range(0..20) {
        0..7 => &[(time(7, 0), time(14, 30))],                             // earlies
        7..13 => &[(time(7, 0), time(11, 0)), (time(16, 0), time(20, 0))], // split shift
        13..17 => &[(time(14, 0), time(22, 0))],                           // lates
        _ => &[(time(7, 0), time(22, 0))],                                 // flexible
    };
    let mut days: Vec<Weekday> = vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
    if contracted >= 25.0 || g.chance(0.5) {
        days.push(Weekday::Sat);
        days.push(Weekday::Sun);
        // Most carers get two weekdays off instead.
        let off = g.rng.random_range(0..5);
        days.remove(off);
    }
    let mut slots = Vec::new();
    for day in days {
        for (start, end) in shifts {
            slots.push(Availability { id: g.id(), carer_id, weekday: day, start_time: *start, end_time: *end });
        }
    }
    slots
}

fn client(g: &mut Gen, carers: &[CarerRecords], index: usize) -> ClientRecords {
    let id = g.id();
    let female = g.chance(0.64);
    let given = g.pick(if female { names::CLIENT_WOMEN } else { names::CLIENT_MEN });
    let family = g.pick(names::FAMILY);
    let (line1, town, postcode, lat, lon) = g.address();
    // About 3 % in hospital and 1 % suspended, at fixed places so that even
    // the small agency shows both.
    let status = match index % 100 {
        7 | 40 | 73 => ClientStatus::InHospital,
        55 => ClientStatus::Suspended,
        _ => ClientStatus::Active,
    };
    let (status_from, status_until) = match status {
        ClientStatus::Active => (None, None),
        _ => {
            let from = g.days_from_today(-14..-1);
            (Some(from), if g.chance(0.5) { Some(g.days_from_today(2..21)) } else { None })
        }
    };
    let key_code = g.rng.random_range(1000..9999);
    let access_notes = match g.rng.random_range(0..4) {
        0 => format!("Key safe left of the front door, code {key_code}. Lock and return the key."),
        1 => "Family let you in; ring the bell twice and wait, client is slow to the door.".to_string(),
        2 => format!("Key safe by the back door (side gate), code {key_code}. Dog kept in the kitchen."),
        _ => "Client answers the door. Please knock loudly.".to_string(),
    };
    let client = Client {
        id,
        given_name: given.into(),
        family_name: family.into(),
        preferred_name: String::new(),
        date_of_birth: Some(g.today - Duration::days(g.rng.random_range(65 * 365..99 * 365))),
        gender: if female { Gender::Female } else { Gender::Male },
        phone: g.phone(false),
        address_line1: line1,
        address_line2: String::new(),
        town,
        postcode,
        lat,
        lon,
        access_notes,
        preferred_carer_gender: match g.rng.random_range(0..100) {
            0..22 => CarerGenderPreference::Female,
            22..24 => CarerGenderPreference::Male,
            _ => CarerGenderPreference::Any,
        },
        language: if g.chance(0.03) { g.pick(&["Welsh", "Polish", "Punjabi"]).into() } else { String::new() },
        status,
        status_from,
        status_until,
        funding: match g.rng.random_range(0..100) {
            0..62 => Funding::LocalAuthority,
            62..72 => Funding::NhsChc,
            72..90 => Funding::Private,
            90..97 => Funding::DirectPayment,
            _ => Funding::Mixed,
        },
        funding_reference: format!("SC{:06}", g.rng.random_range(0..1_000_000)),
        notes: String::new(),
    };
    let mut key_people = Vec::new();
    for _ in 0..g.rng.random_range(1..3) {
        let name =
            format!("{} {}", g.pick(names::CARER_WOMEN), if g.chance(0.6) { family } else { g.pick(names::FAMILY) });
        let relationship = g.pick(names::RELATIONSHIPS);
        let phone = g.phone(true);
        let consent = g.chance(0.85);
        key_people.push(KeyPerson {
            id: g.id(),
            client_id: id,
            name,
            relationship: relationship.into(),
            phone,
            email: String::new(),
            consent_to_inform: consent,
            is_emergency_contact: key_people.is_empty(),
        });
    }
    let mut carer_preferences = Vec::new();
    if g.chance(0.15) {
        let carer = g.pick(&carers.iter().map(|c| c.carer.id).collect::<Vec<_>>());
        carer_preferences.push(CarerPreference {
            id: g.id(),
            client_id: id,
            carer_id: carer,
            kind: PreferenceKind::Preferred,
            reason: "Gets on well; client asks for her".into(),
        });
    }
    if g.chance(0.05) {
        let carer = g.pick(&carers.iter().map(|c| c.carer.id).collect::<Vec<_>>());
        if !carer_preferences.iter().any(|p| p.carer_id == carer) {
            carer_preferences.push(CarerPreference {
                id: g.id(),
                client_id: id,
                carer_id: carer,
                kind: PreferenceKind::Excluded,
                reason: "Family complaint after a missed call; not to visit".into(),
            });
        }
    }
    ClientRecords { client, key_people, carer_preferences }
}

const EVERY_DAY: &[Weekday] = Weekday::ALL;

/// Morning, lunch, tea and bed calls; some double-ups and time-critical
/// medication; a few fortnightly (week A/B) calls.
fn client_packages(g: &mut Gen, client: &Client) -> Vec<CarePackage> {
    // Twelve visits a week for each client on average, as architecture.md's
    // large agency has (12,000 for 1,000 clients).
    let calls = match g.rng.random_range(0..100) {
        0..50 => 1,
        50..82 => 2,
        82..93 => 3,
        _ => 4,
    };
    let double_up = g.chance(0.10);
    let insulin = g.chance(0.08);
    let parkinsons = !insulin && g.chance(0.04);
    let starts_on = g.days_from_today(-700..-7);
    // The earliest start of each call, how many quarter hours later it may
    // start (clients get up and go to bed at their own times), its length.
    let slots: [(&str, u32, u32, i64, u32); 4] = [
        ("Morning call", 7, 0, 12, 45),
        ("Lunch call", 11, 45, 6, 30),
        ("Tea call", 16, 0, 7, 30),
        ("Bed call", 19, 0, 9, 30),
    ];
    let chosen: &[usize] = match calls {
        1 => &[0],
        2 => &[0, 3],
        3 => &[0, 2, 3],
        _ => &[0, 1, 2, 3],
    };
    let mut packages = Vec::new();
    for &slot in chosen {
        let (label, hour, minute, quarters, duration) = slots[slot];
        let start = time(hour, minute) + Duration::minutes(g.rng.random_range(0..=quarters) * 15);
        let mut required_skills = Vec::new();
        let mut tasks = vec!["Personal care".to_string()];
        let mut time_critical = false;
        let mut duration = duration;
        if double_up {
            required_skills.push("hoist".to_string());
            tasks.push("Transfer with hoist (two carers)".into());
            duration += 15;
        }
        if (insulin || parkinsons) && (slot == 0 || slot == 2) {
            time_critical = true;
            required_skills.push(if insulin { "insulin".into() } else { "parkinsons".into() });
            tasks.push(if insulin {
                "Insulin as per MAR chart".into()
            } else {
                "Parkinson's medication on time".into()
            });
        } else if slot == 0 {
            required_skills.push("medication_l2".into());
            tasks.push("Prompt medication from blister pack".into());
        }
        match slot {
            0 => tasks.push("Breakfast and drink".into()),
            1 => tasks.push("Lunch and drink".into()),
            2 => tasks.push("Light tea; check fluids".into()),
            _ => tasks.push("Help to bed; lock up".into()),
        }
        packages.push(CarePackage {
            id: g.id(),
            client_id: client.id,
            label: label.into(),
            weekdays: if slot == 1 && g.chance(0.4) { EVERY_DAY[..5].to_vec() } else { EVERY_DAY.to_vec() },
            start_time: start,
            duration_min: duration,
            carers_required: if double_up { 2 } else { 1 },
            required_skills,
            tasks,
            time_critical,
            flex_min: if time_critical { 15 } else { 30 },
            short_task: false,
            cycle_weeks: 1,
            cycle_week_list: vec![1],
            starts_on,
            ends_on: None,
        });
    }
    if g.chance(0.08) {
        // A short medication prompt, deliberately under 30 minutes (NICE NG21 allows it).
        packages.push(CarePackage {
            id: g.id(),
            client_id: client.id,
            label: "Medication prompt".into(),
            weekdays: EVERY_DAY.to_vec(),
            start_time: time(14, 0),
            duration_min: 15,
            carers_required: 1,
            required_skills: vec!["medication_l2".into()],
            tasks: vec!["Prompt afternoon medication".into()],
            time_critical: false,
            flex_min: 30,
            short_task: true,
            cycle_weeks: 1,
            cycle_week_list: vec![1],
            starts_on,
            ends_on: None,
        });
    }
    if g.chance(0.05) {
        // Fortnightly shopping on week A of a two-week cycle.
        packages.push(CarePackage {
            id: g.id(),
            client_id: client.id,
            label: "Shopping call (week A)".into(),
            weekdays: vec![g.pick(&[Weekday::Tue, Weekday::Thu])],
            start_time: time(10, 30),
            duration_min: 60,
            carers_required: 1,
            required_skills: vec![],
            tasks: vec!["Weekly shop with client".into()],
            time_critical: false,
            flex_min: 60,
            short_task: false,
            cycle_weeks: 2,
            cycle_week_list: vec![1],
            starts_on,
            ends_on: None,
        });
    }
    packages
}

/// Writes the agency into an empty store, in one change through the write
/// path. Refuses a store that already has people in it.
pub fn load(store: &mut Store, agency: &DemoAgency) -> Result<()> {
    let existing: i64 =
        store
            .read()
            .query_row("SELECT (SELECT count(*) FROM carers) + (SELECT count(*) FROM clients)", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(Error::Conflict("The demo agency can only be loaded into an empty database".into()));
    }
    store.write(Operation::LoadDemo, |changes| {
        for r in &agency.carers {
            changes.insert(&r.carer)?;
            changes.replace_children(&[], &r.skills)?;
            changes.replace_children(&[], &r.availability)?;
            changes.replace_children(&[], &r.absences)?;
        }
        for r in &agency.clients {
            changes.insert(&r.client)?;
            changes.replace_children(&[], &r.key_people)?;
            changes.replace_children(&[], &r.carer_preferences)?;
        }
        for p in &agency.packages {
            changes.insert(p)?;
        }
        for i in &agency.incidents {
            // A closed incident takes nothing more (the database refuses
            // it), so it is written open and closed once complete.
            let open = crate::incidents::Incident {
                status: crate::incidents::IncidentStatus::UnderReview,
                closed_at: None,
                closed_by: String::new(),
                ..i.incident.clone()
            };
            changes.insert(&open)?;
            changes.replace_children(&[], &i.people)?;
            changes.replace_children(&[], &i.notifications)?;
            changes.replace_children(&[], &i.follow_ups)?;
            changes.update(&open, &i.incident)?;
        }
        for p in &agency.on_call_patterns {
            changes.insert(p)?;
        }
        for s in &agency.on_call_shifts {
            changes.insert(s)?;
        }
        for a in &agency.risk_assessments {
            changes.insert(&a.assessment)?;
            changes.replace_children(&[], &a.hazards)?;
        }
        Ok(())
    })
}
