//! Vocabulary shared by carers, clients and care packages: the text enums
//! stored in the database, and the checks every form applies to what a
//! person typed (postcodes, phones, dates, times, coordinates).

use crate::error::FieldErrors;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use regex::Regex;
use std::sync::LazyLock;

/// An enum stored as text, with the same spelling in SQL, JSON and TypeScript.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal : $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[ts(export)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(text: &str) -> Option<Self> { match text { $($text => Some($name::$variant),)+ _ => None } }
        }

        impl $crate::store::SqlField for $name {
            fn to_value(&self) -> rusqlite::types::Value { rusqlite::types::Value::Text(self.as_str().into()) }
        }
    };
}
pub(crate) use text_enum;

text_enum!(Gender {
    Female = "female": "Female",
    Male = "male": "Male",
    Other = "other": "Other",
    Unspecified = "unspecified": "Not stated",
});

text_enum!(Transport {
    Car = "car": "Car",
    Foot = "foot": "On foot",
    Bicycle = "bicycle": "Bicycle",
    PublicTransport = "public_transport": "Public transport",
});

text_enum!(Weekday {
    Mon = "mon": "Monday",
    Tue = "tue": "Tuesday",
    Wed = "wed": "Wednesday",
    Thu = "thu": "Thursday",
    Fri = "fri": "Friday",
    Sat = "sat": "Saturday",
    Sun = "sun": "Sunday",
});

impl Weekday {
    pub fn from_chrono(day: chrono::Weekday) -> Self {
        Self::ALL[day.num_days_from_monday() as usize]
    }
}

/// Returns the text with surrounding white space removed.
pub fn clean(text: &str) -> String {
    text.trim().to_string()
}

pub fn require_text(errors: &mut FieldErrors, field: &str, text: &str, what: &str) -> String {
    let text = clean(text);
    if text.is_empty() {
        errors.add(field, format!("Enter {what}"));
    } else if text.chars().count() > 200 {
        errors.add(field, "Keep this under 200 characters");
    }
    text
}

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    // The Royal Mail format: outward code (area + district) and inward code.
    Regex::new(r"^(GIR 0AA|[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2})$").expect("valid regex")
});

/// A postcode's outward code ("SY3" of "SY3 8AB"): the rota's areas.
pub fn outward_code(postcode: &str) -> &str {
    postcode.split_whitespace().next().unwrap_or_default()
}

/// Normalises a UK postcode to upper case with one space ("sy38ab" → "SY3 8AB").
pub fn postcode(errors: &mut FieldErrors, field: &str, text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if compact.is_empty() {
        errors.add(field, "Enter a postcode");
        return compact;
    }
    let normal = if compact.len() > 3 {
        format!("{} {}", &compact[..compact.len() - 3], &compact[compact.len() - 3..])
    } else {
        compact
    };
    if !POSTCODE.is_match(&normal) {
        errors.add(field, format!("\"{}\" is not a UK postcode (for example SY3 8AB)", clean(text)));
    }
    normal
}

/// Phone numbers: digits, spaces and a leading +; 10–13 digits (UK numbers).
pub fn phone(errors: &mut FieldErrors, field: &str, text: &str, required: bool) -> String {
    let text = clean(text);
    if text.is_empty() {
        if required {
            errors.add(field, "Enter a phone number");
        }
        return text;
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c));
    if !allowed || !(10..=13).contains(&digits) {
        errors.add(field, "Enter a phone number of 10 to 13 digits, like 01743 123456");
    }
    text
}

pub fn email(errors: &mut FieldErrors, field: &str, text: &str) -> String {
    let text = clean(text);
    let looks_right = text.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    });
    if !text.is_empty() && (!looks_right || text.contains(char::is_whitespace)) {
        errors.add(field, "Enter an email address like name@example.org, or leave it empty");
    }
    text
}

/// A date typed into a form as `YYYY-MM-DD`; empty means none.
pub fn optional_date(errors: &mut FieldErrors, field: &str, text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) if (1900..=2200).contains(&chrono::Datelike::year(&date)) => Some(date),
        _ => {
            errors.add(field, format!("\"{text}\" is not a date (use YYYY-MM-DD)"));
            None
        }
    }
}

pub fn required_date(errors: &mut FieldErrors, field: &str, text: &str, what: &str) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        errors.add(field, format!("Enter {what}"));
        return None;
    }
    optional_date(errors, field, text)
}

/// A wall-clock time typed as `HH:MM` (seconds, if the browser adds them, are ignored).
pub fn required_time(errors: &mut FieldErrors, field: &str, text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    let parsed = NaiveTime::parse_from_str(text, "%H:%M").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S")).ok();
    if parsed.is_none() {
        errors.add(
            field,
            if text.is_empty() { "Enter a time".to_string() } else { format!("\"{text}\" is not a time (use HH:MM)") },
        );
    }
    parsed
}

/// A wall-clock time that may be left empty.
pub fn optional_time(errors: &mut FieldErrors, field: &str, text: &str) -> Option<NaiveTime> {
    if text.trim().is_empty() {
        return None;
    }
    required_time(errors, field, text)
}

/// "YYYY-MM-DD HH:MM" on the London clock as an instant. In the hour the
/// clocks go back the earlier (BST) reading is taken; the hour they go
/// forward never happened, so a time in it is refused.
pub fn read_london_moment(errors: &mut FieldErrors, field: &str, text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().replace('T', " ");
    if text.is_empty() {
        errors.add(field, "Enter the date and time");
        return None;
    }
    let Ok(local) = NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M") else {
        errors.add(field, "Enter a date and time like 2026-03-02 14:30");
        return None;
    };
    match London.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
        LocalResult::None => {
            errors.add(field, "That time did not happen: the clocks went forward from 01:00 to 02:00 that night");
            None
        }
    }
}

/// The same moment written back for the form, as a browser's date-and-time
/// field takes it ("2026-03-02T14:30").
pub fn london_text(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%Y-%m-%dT%H:%M").to_string()
}

pub fn number_in(errors: &mut FieldErrors, field: &str, value: Option<f64>, range: (f64, f64), what: &str) -> f64 {
    match value {
        None => {
            errors.add(field, format!("Enter {what}"));
            range.0
        }
        Some(v) if !v.is_finite() || v < range.0 || v > range.1 => {
            errors.add(field, format!("{} must be between {} and {}", capitalise(what), range.0, range.1));
            v
        }
        Some(v) => v,
    }
}

/// A whole number in `range`, typed into a form.
pub fn whole(e: &mut FieldErrors, field: &str, value: Option<f64>, range: (u32, u32), what: &str) -> u32 {
    let v = number_in(e, field, value, (f64::from(range.0), f64::from(range.1)), what);
    if v.fract() != 0.0 {
        e.add(field, format!("Enter {what} as a whole number"));
    }
    v.clamp(f64::from(range.0), f64::from(range.1)) as u32
}

/// Coordinates must fall within Great Britain and Northern Ireland, which
/// catches swapped latitude/longitude and a forgotten minus sign.
pub fn uk_point(
    errors: &mut FieldErrors,
    lat_field: &str,
    lon_field: &str,
    lat: Option<f64>,
    lon: Option<f64>,
) -> (f64, f64) {
    let lat = match lat {
        None => {
            errors.add(lat_field, "Enter the latitude (needed for travel estimates)");
            0.0
        }
        Some(v) if !(49.8..=60.9).contains(&v) => {
            errors.add(lat_field, "Latitude must be within the UK (49.8 to 60.9)");
            v
        }
        Some(v) => v,
    };
    let lon = match lon {
        None => {
            errors.add(lon_field, "Enter the longitude (needed for travel estimates)");
            0.0
        }
        Some(v) if !(-8.7..=1.8).contains(&v) => {
            errors.add(lon_field, "Longitude must be within the UK (-8.7 to 1.8; west of Greenwich is negative)");
            v
        }
        Some(v) => v,
    };
    (lat, lon)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// Splits "English, Polish" into a clean list without blanks or repeats.
pub fn word_list(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in text.split([',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
        if !items.iter().any(|existing| existing.eq_ignore_ascii_case(item)) {
            items.push(item.to_string());
        }
    }
    items
}

/// What the lists search and sort by.
#[derive(Debug, Clone, Default, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct ListQuery {
    /// Words that must all appear in the name, postcode, town or phone.
    pub search: String,
    /// A column name of the list; unknown names sort by name.
    pub sort: String,
    pub descending: bool,
}

/// Turns the search text into LIKE patterns, one per word, with the LIKE
/// wildcards in what was typed escaped (so "50%" means fifty percent).
pub fn like_patterns(search: &str) -> Vec<String> {
    search
        .split_whitespace()
        .take(6)
        .map(|word| {
            let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        })
        .collect()
}

/// A person's full name ("Sarah Evans") that is written out only when
/// shown: the rules check thousands of allocations a week and name the
/// carer and client only in the few sentences they write.
#[derive(Debug, Clone, Copy)]
pub struct FullName<'a>(pub &'a str, pub &'a str);

impl std::fmt::Display for FullName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}
