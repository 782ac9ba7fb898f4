//! The rota board: a day or a week as the coordinator's grid shows it —
//! carers as rows, visits as blocks placed on the London clock, the
//! unallocated visits, and every rule finding attached to the visit or the
//! carer it is about. Computed in the core so the grid only draws.

use super::board_view::{self, Spot};
use super::publish::{carer_name, draft_dates, publication_on, Publication};
use super::timeline::Timeline;
use super::week::{cached_week, monday_of, FindingsByVisit, Week};
use crate::error::{Error, FieldError, Result};
use crate::ids::IdMap;
use crate::people::common::outward_code;
use crate::people::Weekday;
use crate::rules::{is_short_visit, Finding, RuleId, Sentence, Severity};
use chrono::{Datelike, Duration, NaiveDate, Timelike};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use ts_rs::TS;
use uuid::Uuid;

/// A carer in a slot of a visit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SlotCarer {
    pub slot: u8,
    pub carer_id: Uuid,
    #[ts(as = "String")]
    pub name: Arc<str>,
}

/// A client with visits on the board, sent once rather than with each of
/// their visits (a week's 15,000 visits are for 1,000 clients).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BoardClient {
    #[ts(as = "String")]
    pub name: Arc<str>,
    #[ts(as = "String")]
    pub postcode: Arc<str>,
    /// The postcode's outward code ("SY3"), for the area filter.
    #[ts(as = "String")]
    pub area: Arc<str>,
}

impl BoardClient {
    pub(super) fn of(client: &crate::rules::ClientSummary) -> BoardClient {
        BoardClient {
            name: client.name.clone(),
            postcode: client.postcode.clone(),
            area: Arc::from(outward_code(&client.postcode)),
        }
    }
}

/// `HH:MM` for minutes past midnight.
pub(super) fn clock_of(start_min: u32) -> Arc<str> {
    Arc::from(format!("{:02}:{:02}", start_min / 60, start_min % 60))
}

/// A visit as the board draws it. A field at its usual value (no carers,
/// no findings, not cancelled, an empty note) is left out of what is sent:
/// a large agency's week is 15,000 of these, and the defaults were 30 % of
/// the 8 MB the grid was handed for it. The client's name and postcode are
/// sent once for the board, in [`Board::clients`], not with each visit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardVisit {
    pub id: Uuid,
    /// The client it is for: their name and postcode are in `Board::clients`.
    pub client_id: Uuid,
    /// Made by hand rather than rolled from a care package, so an edit
    /// cannot reach "this and future visits"; absent when from a package.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub one_off: bool,
    /// The package's name, shared by the client's visits rather than copied.
    #[ts(as = "String")]
    pub label: Arc<str>,
    /// Days after the board's first day.
    pub day: u8,
    /// Minutes after that day's midnight on the London clock.
    pub start_min: u32,
    /// Minutes after the board's first midnight as time passes, where the
    /// grid draws it (see `timeline`): `day` × 1,440 + `start_min` but on
    /// and after a night the clocks change.
    pub at_min: u32,
    /// `HH:MM`, London.
    #[ts(as = "String")]
    pub local_start: Arc<str>,
    pub duration_min: u32,
    pub carers_required: u8,
    /// Absent when nobody is allocated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carers: Vec<SlotCarer>,
    /// Not cancelled and short of a carer: it waits in the unallocated lane.
    pub needs_carer: bool,
    #[ts(as = "Vec<String>")]
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub required_skills: Arc<[String]>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub time_critical: bool,
    /// Minutes either side a time-critical visit may move; absent for 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub flex_min: u32,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub short_visit: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cancel_reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub time_note: String,
    /// Why it was left without a carer when its carer went off ("Nobody
    /// fits: …"); absent when nobody said.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub queue_note: String,
    /// The worst finding about this visit, for its colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub worst: Option<Severity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

fn is_zero(minutes: &u32) -> bool {
    *minutes == 0
}

/// A span of a day the carer is available, from and to minutes on the
/// board's timeline (a slot asked for from 07:00 starts at 07:00 on the
/// London clock, whatever the night before did).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DaySpan {
    pub day: u8,
    pub from_at: u32,
    pub to_at: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardCarer {
    pub carer_id: Uuid,
    /// With their postcode when another carer has the same name.
    pub name: String,
    /// Their postcode area and skills, for the board's filters in the core:
    /// not sent, as the row shows neither (1,500 rows on the huge agency).
    #[serde(skip)]
    #[ts(skip)]
    pub area: String,
    #[serde(skip)]
    #[ts(skip)]
    pub skills: Vec<String>,
    /// Minutes of visits allocated in the board's days.
    pub minutes: u32,
    /// Minutes of work in the week that holds the board (Monday to Sunday),
    /// as the hours rules count it: the visits and the travel between them.
    pub week_minutes: u32,
    /// Of `week_minutes`, those travelling between visits.
    pub week_travel_minutes: u32,
    pub contracted_hours: f64,
    pub available: Vec<DaySpan>,
    /// Days on leave or off sick, with the kind ("Sickness").
    pub absent: Vec<(u8, String)>,
    /// Findings about the carer's whole week (hours, 48-hour average,
    /// weekly rest).
    pub findings: Vec<WeekFinding>,
    /// Those findings in a word or two for the row ("hours, no day off"),
    /// empty when there are none.
    pub week_tag: String,
}

/// A finding about a carer's whole week, as their row shows it. The visits
/// it is about are the row's own week, so they are not sent again: on the
/// huge agency they were a third of what a day's board sent, 115,000 ids.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WeekFinding {
    pub rule: RuleId,
    pub severity: Severity,
    /// Why, in a sentence a coordinator understands.
    #[ts(as = "String")]
    pub message: Sentence,
}

impl From<&Finding> for WeekFinding {
    fn from(finding: &Finding) -> Self {
        WeekFinding { rule: finding.rule, severity: finding.severity, message: finding.message.clone() }
    }
}

/// The whole board of a day or a week at once, every visit made as the grid
/// draws it. The app's grid is sent the board a screenful at a time instead
/// (`board_view`); the tests check both against this, and the benchmark's
/// "open a week's rota with all findings" times it beside the grid's way.
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub from: NaiveDate,
    pub days: Vec<NaiveDate>,
    pub visits: Vec<BoardVisit>,
    /// The clients of the board's visits, by id.
    pub clients: BTreeMap<Uuid, BoardClient>,
    /// By name.
    pub carers: Vec<BoardCarer>,
    /// Days of the board still in draft.
    pub drafts: Vec<NaiveDate>,
    pub publication: Option<Publication>,
    /// Visits still short of a carer.
    pub unallocated: u32,
    pub blocks: u32,
    pub warnings: u32,
    /// Minutes from the board's first midnight to now, when now is on the
    /// board: where the grid draws its time line.
    pub now_min: Option<u32>,
    /// The board's time axis: its days' lengths, hour marks, clock changes.
    pub timeline: Timeline,
}

/// How a carer's row names a rule about their week.
fn week_tag_of(rule: RuleId) -> Option<&'static str> {
    rule.about_the_week().then_some(match rule {
        RuleId::WeeklyRest24h => "no day off",
        _ => "hours",
    })
}

/// "hours", "no day off", "hours, no day off" or "" for a carer's week.
fn week_tag(findings: &[WeekFinding]) -> String {
    let mut tags: Vec<&str> = findings.iter().filter_map(|f| week_tag_of(f.rule)).collect();
    tags.sort_unstable();
    tags.dedup();
    tags.join(", ")
}

/// The board for `day` alone (`days` = 1), or for the week, Monday to
/// Sunday, that holds it (`days` = 7): the rules' weeks start on Monday.
pub fn board(store: &crate::Store, day: NaiveDate, days: u8) -> Result<Board> {
    let conn = store.read();
    let (from, to) = board_span(day, days)?;
    let week = cached_week(store, monday_of(from))?;
    let names = carer_names(conn, &week, from, to)?;
    // The rules' findings and the grid's order do not depend on each other:
    // they are worked out side by side, on two cores where there are. Each
    // visit is then made with its own findings.
    let (_, layout) = rayon::join(|| week.findings_by_visit(), || lay_out(&week, from, to));
    // The carers' rows are made beside the visits, from the same findings.
    let ((mut visits, clients), carers) =
        rayon::join(|| board_visits(&week, &names, layout), || board_carers(&week, from, to));
    let mut notes = super::reallocate::queue_notes(conn, from, to)?;
    for visit in &mut visits {
        if visit.needs_carer {
            visit.queue_note = notes.remove(&visit.id).unwrap_or_default();
        }
    }
    let unallocated = visits.iter().filter(|v| v.needs_carer).count() as u32;
    let (mut blocks, mut warnings) = (0, 0);
    let on_visits = visits.iter().flat_map(|v| &v.findings).map(|f| f.severity);
    for severity in on_visits.chain(carers.iter().flat_map(|c| &c.findings).map(|f| f.severity)) {
        match severity {
            Severity::Block => blocks += 1,
            Severity::Warn => warnings += 1,
        }
    }
    let timeline = Timeline::new(from, days);
    Ok(Board {
        from,
        days: from.iter_days().take(usize::from(days)).collect(),
        visits,
        clients,
        carers,
        drafts: draft_dates(conn, from, to)?,
        publication: publication_on(conn, to)?.or(publication_on(conn, from)?),
        unallocated,
        blocks,
        warnings,
        now_min: now_on_board(store, &timeline),
        timeline,
    })
}

/// The first and last day of the board of `day` alone (`days` = 1) or of
/// the week that holds it (`days` = 7).
pub(super) fn board_span(day: NaiveDate, days: u8) -> Result<(NaiveDate, NaiveDate)> {
    let from = match days {
        1 => day,
        7 => monday_of(day),
        _ => return Err(Error::Invalid(vec![FieldError { field: "days".into(), message: "Show 1 day or 7".into() }])),
    };
    Ok((from, from + Duration::days(i64::from(days) - 1)))
}

/// Minutes from the board's first midnight to now, by the core's clock,
/// when now is on the board: where the grid draws its red line.
pub(super) fn now_on_board(store: &crate::Store, timeline: &Timeline) -> Option<u32> {
    let now = timeline.minute_of(store.now());
    (0..i64::from(timeline.length_min)).contains(&now).then_some(now as u32)
}

/// The name of every carer on the board's visits: the week's carers, and
/// any who have left the agency since, read from the store.
pub(super) fn carer_names(conn: &Connection, week: &Week, from: NaiveDate, to: NaiveDate) -> Result<IdMap<Arc<str>>> {
    let mut names: IdMap<Arc<str>> = week.facts.carers.iter().map(|(id, c)| (*id, c.name.clone())).collect();
    for visit in week.visits().filter(|v| (from..=to).contains(&v.facts.date)) {
        for id in &visit.facts.carers {
            if !names.contains_key(id) {
                names.insert(*id, Arc::from(carer_name(conn, *id)?));
            }
        }
    }
    Ok(names)
}

/// The names of one visit's carers, as `carer_names` gives them: a visit
/// asked for alone need not look through the week's for who has left.
pub(super) fn names_on_visit(conn: &Connection, week: &Week, i: usize) -> Result<IdMap<Arc<str>>> {
    let mut names: IdMap<Arc<str>> = IdMap::default();
    for (_, id) in week.visit(i).carers() {
        let name = match week.facts.carers.get(&id) {
            Some(carer) => carer.name.clone(),
            None => Arc::from(carer_name(conn, id)?),
        };
        names.insert(id, name);
    }
    Ok(names)
}

/// The board's visits in the grid's order, before they are made: the
/// clients' texts, which clients have visits on the board, each visit's
/// place (day, start, client's place by name, index in the week) and the
/// clock times used.
struct Layout {
    texts: Vec<(Uuid, BoardClient)>,
    on_board: Vec<bool>,
    order: Vec<(u8, u32, u32, usize, u32)>,
    clock: HashMap<u32, Arc<str>>,
}

fn lay_out(week: &Week, from: NaiveDate, to: NaiveDate) -> Layout {
    // Every client's texts in name order; the grid orders visits at the
    // same minute by client name, so each is given its place in that order
    // and a week's visits are sorted on numbers rather than names.
    let mut texts: Vec<(Uuid, BoardClient)> =
        week.facts.clients.iter().map(|(id, c)| (*id, BoardClient::of(&c.client))).collect();
    texts.sort_unstable_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(&b.0)));
    let place: IdMap<u32> = texts.iter().enumerate().map(|(i, (id, _))| (*id, i as u32)).collect();
    let mut on_board = vec![false; texts.len()];
    // "HH:MM" for each minute of the day that has a visit, made once.
    let mut clock: HashMap<u32, Arc<str>> = HashMap::new();
    // The grid's order (day, start, client) worked out on small keys first,
    // so each (large) board visit is made once, in its place.
    let mut order: Vec<(u8, u32, u32, usize, u32)> = Vec::with_capacity(week.len());
    for spot in board_view::on_board(week, from, to) {
        let client = place[&week.visit(spot.i).facts.client_id];
        on_board[client as usize] = true;
        clock.entry(spot.start_min).or_insert_with(|| clock_of(spot.start_min));
        order.push((spot.day, spot.start_min, client, spot.i, spot.at));
    }
    order.sort_unstable();
    Layout { texts, on_board, order, clock }
}

/// The visits of the board's days in the grid's order, each with its
/// findings (not those about a carer's whole week), and the clients they
/// are for. Each visit is made on its own, so they are shared across the
/// cores.
fn board_visits(
    week: &Week,
    names: &IdMap<Arc<str>>,
    layout: Layout,
) -> (Vec<BoardVisit>, BTreeMap<Uuid, BoardClient>) {
    use rayon::prelude::*;
    let Layout { texts, on_board, order, clock } = layout;
    let made = Made::new(week, names);
    let visits = order
        .par_iter()
        .with_min_len(512)
        .map(|&(day, start_min, _, i, at)| made.visit(&Spot::new(i, day, start_min, at), clock[&start_min].clone()))
        .collect();
    let clients = texts.into_iter().zip(on_board).filter_map(|(texts, shown)| shown.then_some(texts)).collect();
    (visits, clients)
}

/// What a board visit is made from: the kept week with its findings, and
/// the carers' names.
pub(super) struct Made<'a> {
    week: &'a Week,
    names: &'a IdMap<Arc<str>>,
    by_visit: &'a FindingsByVisit,
    all: &'a [Finding],
    /// The label of a visit made by hand, shared by all of them.
    one_off: Arc<str>,
}

impl<'a> Made<'a> {
    pub fn new(week: &'a Week, names: &'a IdMap<Arc<str>>) -> Made<'a> {
        let one_off = Arc::from("One-off visit");
        Made { week, names, by_visit: week.findings_by_visit(), all: week.findings(), one_off }
    }

    /// The week's visit at `spot` as the board draws it (`local_start` is
    /// its minute past midnight as `HH:MM`).
    pub fn visit(&self, spot: &Spot, local_start: Arc<str>) -> BoardVisit {
        let visit = self.week.visit(spot.i);
        let (shown, facts) = (visit.shown, visit.facts);
        let slots: Vec<SlotCarer> = visit
            .carers()
            .map(|(slot, carer_id)| SlotCarer {
                slot,
                carer_id,
                name: self.names.get(&carer_id).cloned().unwrap_or_else(|| Arc::from("")),
            })
            .collect();
        let findings: Vec<Finding> =
            self.by_visit.get(&facts.id).iter().map(|&f| self.all[f as usize].clone()).collect();
        BoardVisit {
            id: facts.id,
            client_id: facts.client_id,
            one_off: shown.package_id.is_none(),
            label: self.week.label(shown).cloned().unwrap_or_else(|| self.one_off.clone()),
            day: spot.day,
            start_min: spot.start_min,
            at_min: spot.at,
            local_start,
            duration_min: facts.duration_min,
            carers_required: facts.carers_required,
            needs_carer: visit.needs_carer(),
            carers: slots,
            required_skills: facts.required_skills.clone(),
            time_critical: shown.time_critical,
            flex_min: shown.flex_min,
            short_visit: is_short_visit(facts.duration_min, facts.short_task),
            cancelled: visit.cancelled(),
            cancel_reason: visit.cancel_reason().to_string(),
            time_note: visit.time_note().to_string(),
            queue_note: String::new(),
            worst: findings.iter().map(|f| f.severity).min_by_key(|s| *s != Severity::Block),
            findings,
        }
    }
}

/// Every carer of the week as their row shows them, by name: the minutes of
/// visits they have on the board's days, their week's work and the
/// findings about their whole week.
pub(super) fn board_carers(week: &Week, from: NaiveDate, to: NaiveDate) -> Vec<BoardCarer> {
    let timeline = Timeline::spanning(from, to);
    let mut minutes: IdMap<u32> = IdMap::default();
    let on_board = week.visits().filter(|v| (from..=to).contains(&v.facts.date));
    for visit in on_board.filter(|v| !v.cancelled()) {
        for carer in &visit.facts.carers {
            *minutes.entry(*carer).or_default() += visit.facts.duration_min;
        }
    }
    // The week's totals go on the carer's row, not on each of their visits.
    let mut findings: IdMap<Vec<WeekFinding>> = IdMap::default();
    for finding in week.findings().iter().filter(|f| f.rule.about_the_week()) {
        if let Some(carer) = finding.carer_id {
            findings.entry(carer).or_default().push(finding.into());
        }
    }
    let work = week.work();
    let mut carers: Vec<BoardCarer> = week
        .facts
        .carers
        .values()
        .map(|c| {
            let mut available = Vec::new();
            let mut absent = Vec::new();
            for (day, date) in from.iter_days().take_while(|d| *d <= to).enumerate() {
                let day = day as u8;
                let weekday = Weekday::from_chrono(date.weekday());
                for slot in c.availability.iter().filter(|a| a.weekday == weekday) {
                    let start = slot.start_time.num_seconds_from_midnight() / 60;
                    let end = slot.end_time.num_seconds_from_midnight() / 60;
                    // A slot past midnight shows up to midnight on its day.
                    let end = if end > start { end } else { 24 * 60 };
                    available.push(DaySpan {
                        day,
                        from_at: timeline.wall_minute(day, start),
                        to_at: timeline.wall_minute(day, end),
                    });
                }
                if let Some(absence) = c.absences.iter().find(|a| a.starts_on <= date && date <= a.ends_on) {
                    absent.push((day, absence.kind.label().to_string()));
                }
            }
            BoardCarer {
                carer_id: c.carer.id,
                name: c.name.to_string(),
                area: outward_code(&c.carer.postcode).to_string(),
                skills: c.skills.iter().map(|s| s.skill.clone()).collect(),
                minutes: minutes.get(&c.carer.id).copied().unwrap_or(0),
                week_minutes: work.get(&c.carer.id).map_or(0, |w| w.minutes()),
                week_travel_minutes: work.get(&c.carer.id).map_or(0, |w| w.travelling_min),
                contracted_hours: c.carer.contracted_hours,
                available,
                absent,
                week_tag: week_tag(findings.get(&c.carer.id).map_or(&[][..], Vec::as_slice)),
                findings: findings.remove(&c.carer.id).unwrap_or_default(),
            }
        })
        .collect();
    carers.sort_by(|a, b| a.name.cmp(&b.name).then(a.carer_id.cmp(&b.carer_id)));
    carers
}
