//! One change-log row for many records of one kind made together by one rule:
//! a care package's visits for the days of one pass of a roll forward (up
//! to a month).
//!
//! A month rolled forward on the huge agency is 325,000 visits. Logged one
//! row each, with every field, the log was more than half of the roll's time
//! and half of the bytes it wrote. A batch holds the same facts: the fields
//! every record shares, once, and for each record its id and the fields that
//! differ. Nothing is left out, so the batch is as complete a record for
//! history, a subject access request or a sync peer as the rows it replaces.
//!
//! ```json
//! {"table": "visits",
//!  "shared": {"client_id": "…", "duration_min": 30, …},
//!  "columns": ["id", "local_date", "starts_at"],
//!  "rows": [["…", "2026-12-07", "2026-12-07T08:00:00Z"], …]}
//! ```

use super::write::{push_json_text, push_value};
use rusqlite::types::Value;
use serde::Deserialize;
use serde_json::Map;
use uuid::Uuid;

/// The batch's JSON: `records` are each record's id and its fields (the same
/// fields in the same order for every record, as [`super::Record::fields`]
/// gives them). A field is shared when every record has the same value.
pub(super) fn batch_json(table: &str, records: &[(Uuid, Vec<(&'static str, Value)>)]) -> String {
    let Some((_, first)) = records.first() else {
        return format!("{{\"table\":\"{table}\",\"shared\":{{}},\"columns\":[\"id\"],\"rows\":[]}}");
    };
    let shared: Vec<bool> =
        (0..first.len()).map(|i| records.iter().all(|(_, fields)| fields[i].1 == first[i].1)).collect();
    let mut out = Vec::with_capacity(256 + records.len() * 80);
    out.extend_from_slice(b"{\"table\":");
    push_json_text(&mut out, table);
    out.extend_from_slice(b",\"shared\":{");
    let mut comma = false;
    for ((name, value), _) in first.iter().zip(&shared).filter(|(_, shared)| **shared) {
        if std::mem::replace(&mut comma, true) {
            out.push(b',');
        }
        push_json_text(&mut out, name);
        out.push(b':');
        push_value(&mut out, value);
    }
    out.extend_from_slice(b"},\"columns\":[\"id\"");
    for ((name, _), _) in first.iter().zip(&shared).filter(|(_, shared)| !**shared) {
        out.push(b',');
        push_json_text(&mut out, name);
    }
    out.extend_from_slice(b"],\"rows\":[");
    for (n, (id, fields)) in records.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_json_text(&mut out, &id.to_string());
        for ((_, value), _) in fields.iter().zip(&shared).filter(|(_, shared)| !**shared) {
            out.push(b',');
            push_value(&mut out, value);
        }
        out.push(b']');
    }
    out.extend_from_slice(b"]}");
    // Only whole UTF-8 texts and ASCII went in.
    String::from_utf8(out).unwrap_or_else(|_| "{}".into())
}

/// A batch read back from the change log.
#[derive(Debug, Deserialize)]
pub struct Batch {
    pub table: String,
    shared: Map<String, serde_json::Value>,
    columns: Vec<String>,
    rows: Vec<Vec<serde_json::Value>>,
}

impl Batch {
    pub fn parse(changes: &str) -> Option<Self> {
        let batch: Self = serde_json::from_str(changes).ok()?;
        let whole = batch.columns.first().is_some_and(|c| c == "id")
            && batch.rows.iter().all(|row| row.len() == batch.columns.len());
        whole.then_some(batch)
    }

    /// How many records the batch made.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every field of the record `id`, as its own insert would have logged
    /// them; `None` when the batch did not make it.
    pub fn record(&self, id: &str) -> Option<Map<String, serde_json::Value>> {
        let row = self.rows.iter().find(|row| row[0].as_str() == Some(id))?;
        Some(self.fields_of(row))
    }

    /// Each record's fields (without its id), in the order they were made.
    pub fn records(&self) -> impl Iterator<Item = Map<String, serde_json::Value>> + '_ {
        self.rows.iter().map(|row| self.fields_of(row))
    }

    fn fields_of(&self, row: &[serde_json::Value]) -> Map<String, serde_json::Value> {
        let mut fields = self.shared.clone();
        fields.extend(self.columns.iter().zip(row).skip(1).map(|(name, value)| (name.clone(), value.clone())));
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn visit(id: u128, date: &str, note: &str) -> (Uuid, Vec<(&'static str, Value)>) {
        let fields = vec![
            ("local_date", Value::Text(date.into())),
            ("duration_min", Value::Integer(30)),
            ("time_note", Value::Text(note.into())),
            ("package_id", Value::Null),
        ];
        (Uuid::from_u128(id), fields)
    }

    #[test]
    fn a_batch_holds_shared_fields_once_and_each_record_its_own() {
        let text = batch_json("visits", &[visit(1, "2026-03-28", ""), visit(2, "2026-03-29", "moved \"on\"")]);
        let json: serde_json::Value = serde_json::from_str(&text).expect("a batch is valid JSON");
        assert_eq!(json["shared"], json!({"duration_min": 30, "package_id": null}));
        assert_eq!(json["columns"], json!(["id", "local_date", "time_note"]));
        assert_eq!(json["rows"][1], json!([Uuid::from_u128(2).to_string(), "2026-03-29", "moved \"on\""]));
    }

    #[test]
    fn each_record_reads_back_with_every_field_it_was_made_with() {
        let batch = Batch::parse(&batch_json("visits", &[visit(1, "2026-03-28", ""), visit(2, "2026-03-29", "")]))
            .expect("the batch reads back");
        assert_eq!((batch.table.as_str(), batch.len()), ("visits", 2));
        let second = batch.record(&Uuid::from_u128(2).to_string()).expect("the second visit is in the batch");
        let expected = json!({"local_date": "2026-03-29", "duration_min": 30, "time_note": "", "package_id": null});
        assert_eq!(serde_json::Value::Object(second), expected);
        assert!(batch.record(&Uuid::from_u128(3).to_string()).is_none(), "a visit it did not make");
    }

    #[test]
    fn a_batch_of_one_shares_every_field() {
        let text = batch_json("visits", &[visit(7, "2026-10-25", "")]);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["shared"].as_object().map(|s| s.len()), Some(4));
        assert_eq!(json["columns"], json!(["id"]));
        let batch = Batch::parse(&text).unwrap();
        let made: Vec<_> = batch.records().collect();
        assert_eq!(made.len(), 1);
        assert_eq!(made[0]["local_date"], json!("2026-10-25"));
    }

    #[test]
    fn text_that_is_not_a_whole_batch_is_not_read_as_one() {
        assert!(Batch::parse(r#"{"duration_min": 30}"#).is_none(), "a single record's fields");
        assert!(Batch::parse(r#"{"table":"visits","shared":{},"columns":["id","a"],"rows":[["x"]]}"#).is_none());
    }
}
