//! What the incident record says over time (standard 003 P42; the quality
//! indicators of standards 000 and 002): incidents by type, month, client
//! and carer, the rate per 1,000 delivered visits, time to close, and
//! notifications overdue. Counted in SQL over a period; the numbers behind
//! every chart can be written out as CSV.

use crate::error::Result;
use crate::export::csv::cell as csv_field;
use crate::store::instant_text;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Count {
    pub label: String,
    pub count: u32,
}

/// One month of the record.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Month {
    /// YYYY-MM
    pub month: String,
    pub incidents: u32,
    /// Planned visits of the month that had started by the end of the period.
    pub delivered_visits: u32,
    /// Incidents per 1,000 delivered visits; `None` without visits.
    pub rate_per_1000: Option<f64>,
    /// Incidents that happened this month and are closed.
    pub closed: u32,
    /// Their median days from report to closing.
    pub median_days_to_close: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Trends {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: u32,
    pub by_kind: Vec<Count>,
    pub by_month: Vec<Month>,
    /// The ten clients and carers most often involved.
    pub by_client: Vec<Count>,
    pub by_carer: Vec<Count>,
    pub notifications_overdue: u32,
    /// Per 1,000 delivered visits, over the months with visits on the rota.
    pub rate_per_1000: Option<f64>,
}

fn counts(conn: &Connection, sql: &str, from: &str, to: &str) -> Result<Vec<Count>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([from, to], |r| Ok(Count { label: r.get(0)?, count: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
}

fn rate(incidents: u32, visits: u32) -> Option<f64> {
    (visits > 0).then(|| (f64::from(incidents) * 1000.0 / f64::from(visits) * 100.0).round() / 100.0)
}

/// The period the trends open on: the 24 months to `today`, this month
/// included.
pub fn recent_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this_month = today.with_day(1).expect("the first of a month");
    (this_month.checked_sub_months(chrono::Months::new(23)).expect("a date two years back"), today)
}

/// The ten people of `table` (clients or carers) involved in most
/// incidents between the instants `from` and `to`.
fn most_involved(conn: &Connection, table: &str, column: &str, from: &str, to: &str) -> Result<Vec<Count>> {
    let sql = format!(
        "SELECT x.given_name || ' ' || x.family_name, count(DISTINCT i.id)
         FROM incidents i JOIN incident_people p ON p.incident_id = i.id AND p.deleted_at IS NULL
              JOIN {table} x ON x.id = p.{column}
         WHERE i.deleted_at IS NULL AND i.occurred_at > ?1 AND i.occurred_at <= ?2
         GROUP BY x.id ORDER BY 2 DESC, 1 LIMIT 10"
    );
    counts(conn, &sql, from, to)
}

/// The trends over the London dates `from` to `to` (an incident counts in
/// the month it happened), with overdue notifications as at `now`.
pub fn trends(conn: &Connection, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<Trends> {
    // The period as instants: after the last minute of the day before
    // `from`, up to the last minute of `to` (times are kept to the minute).
    // SQL's `date(x, 'localtime')` would use the machine's zone, not London's.
    let start = instant_text(crate::incidents::notify::end_of_london_day(from - Duration::days(1)));
    let end = instant_text(crate::incidents::notify::end_of_london_day(to));
    let (a, b) = (start.as_str(), end.as_str());
    let in_period = "FROM incidents i WHERE i.deleted_at IS NULL AND i.occurred_at > ?1 AND i.occurred_at <= ?2";
    let mut by_kind = Vec::new();
    for c in counts(conn, &format!("SELECT i.kind, count(*) {in_period} GROUP BY i.kind ORDER BY 2 DESC, 1"), a, b)? {
        let label = super::notify::IncidentKind::parse(&c.label).map_or(c.label.clone(), |k| k.label().to_string());
        by_kind.push(Count { label, count: c.count });
    }
    let by_client = most_involved(conn, "clients", "client_id", a, b)?;
    let by_carer = most_involved(conn, "carers", "carer_id", a, b)?;

    // Months, from the incidents' London dates.
    let mut months: Vec<Month> = Vec::new();
    let mut month_start = from.with_day(1).expect("the first of a month");
    while month_start <= to {
        months.push(Month {
            month: month_start.format("%Y-%m").to_string(),
            incidents: 0,
            delivered_visits: 0,
            rate_per_1000: None,
            closed: 0,
            median_days_to_close: None,
        });
        month_start = (month_start + Duration::days(32)).with_day(1).expect("the first of a month");
    }
    let mut days_to_close: Vec<Vec<f64>> = vec![Vec::new(); months.len()];
    let mut stmt = conn.prepare_cached(&format!("SELECT i.occurred_at, i.reported_at, i.closed_at {in_period}"))?;
    let mut rows = stmt.query([a, b])?;
    let mut total = 0;
    while let Some(row) = rows.next()? {
        let occurred = crate::store::row_instant(row, 0)?;
        let date = crate::rota::plan::london_date(occurred);
        total += 1;
        let key = date.format("%Y-%m").to_string();
        let Some(i) = months.iter().position(|m| m.month == key) else { continue };
        months[i].incidents += 1;
        if let Some(closed) = crate::store::row_opt_instant(row, 2)? {
            let reported = crate::store::row_instant(row, 1)?;
            months[i].closed += 1;
            days_to_close[i].push(((closed - reported).num_minutes() as f64 / 1440.0 * 10.0).round() / 10.0);
        }
    }
    drop(rows);
    let mut visits = conn.prepare_cached(
        "SELECT substr(local_date, 1, 7), count(*) FROM visits INDEXED BY visits_by_date
         WHERE deleted_at IS NULL AND status = 'planned' AND local_date BETWEEN ?1 AND ?2 AND starts_at <= ?3
         GROUP BY 1",
    )?;
    let delivered = visits.query_map(
        rusqlite::params![
            from.to_string(),
            to.to_string(),
            instant_text(now.min(crate::incidents::notify::end_of_london_day(to)))
        ],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)),
    )?;
    let mut all_visits = 0;
    for row in delivered {
        let (month, count) = row?;
        all_visits += count;
        if let Some(m) = months.iter_mut().find(|m| m.month == month) {
            m.delivered_visits = count;
        }
    }
    for (m, days) in months.iter_mut().zip(days_to_close) {
        m.rate_per_1000 = rate(m.incidents, m.delivered_visits);
        m.median_days_to_close = median(days);
    }
    // The period's rate counts only months with visits on the rota: a month
    // before the rota was kept here would add incidents and no visits.
    let with_visits = months.iter().filter(|m| m.delivered_visits > 0);
    let incidents_with_visits: u32 = with_visits.clone().map(|m| m.incidents).sum();
    let notifications_overdue: u32 = conn.query_row(
        "SELECT count(*) FROM incident_notifications n JOIN incidents i ON i.id = n.incident_id
         WHERE n.deleted_at IS NULL AND i.deleted_at IS NULL AND n.sent_at IS NULL
           AND n.decision <> 'not_notify' AND n.due_at < ?1",
        [instant_text(now)],
        |r| r.get(0),
    )?;
    Ok(Trends {
        from,
        to,
        total,
        by_kind,
        by_month: months,
        by_client,
        by_carer,
        notifications_overdue,
        rate_per_1000: rate(incidents_with_visits, all_visits),
    })
}

/// The numbers behind the charts as one CSV file: a `section` column says
/// which chart each row belongs to.
pub fn trends_csv(t: &Trends) -> String {
    let mut out = String::from("section,label,incidents,delivered_visits,rate_per_1000,closed,median_days_to_close\n");
    let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    for m in &t.by_month {
        out += &format!(
            "month,{},{},{},{},{},{}\n",
            m.month,
            m.incidents,
            m.delivered_visits,
            number(m.rate_per_1000),
            m.closed,
            number(m.median_days_to_close)
        );
    }
    for (section, list) in [("type", &t.by_kind), ("client", &t.by_client), ("carer", &t.by_carer)] {
        for c in list {
            out += &format!("{section},{},{},,,,\n", csv_field(&c.label), c.count);
        }
    }
    out += &format!("total,all,{},,{},,\n", t.total, number(t.rate_per_1000));
    out += &format!("notifications_overdue,now,{},,,,\n", t.notifications_overdue);
    out
}

/// Writes `trends_csv` for the period into `folder` (made if missing) and
/// returns the file's path, named for what it holds.
pub fn write_trends_csv(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
    folder: &std::path::Path,
) -> Result<std::path::PathBuf> {
    let csv = trends_csv(&trends(conn, from, to, now)?);
    std::fs::create_dir_all(folder)?;
    let path = folder.join(format!("caredesk-incident-trends-{from}-to-{to}.csv"));
    std::fs::write(&path, csv)?;
    Ok(path)
}
