//! Commands for printed documents: run sheets, the rota by area, handovers and the emergency
//! pack as the core decides them, saved as PDF without a dialog, and the
//! evening refresh of the emergency pack.

use crate::state::Db;
use caredesk::documents::handover::Direction;
use caredesk::documents::handovers::{self, HandoverRow};
use caredesk::documents::refresh::{self, PackStatus};
use caredesk::documents::runsheet::SheetDetail;
use caredesk::documents::{service, Document, Printable};
use caredesk::ErrorPayload;
use tauri::State;
use uuid::Uuid;

type Reply<T> = Result<T, ErrorPayload>;

/// Run sheets for a day or a week, everyone's or one carer's, in full or
/// one line a visit.
#[tauri::command]
pub async fn run_sheets(
    db: State<'_, Db>,
    date: Option<chrono::NaiveDate>,
    days: u32,
    carer_id: Option<Uuid>,
    detail: SheetDetail,
) -> Reply<Printable> {
    db.run(move |s| {
        service::run_sheets_in(s, date.unwrap_or_else(|| s.today()), days, carer_id, detail).map(Printable::from)
    })
    .await
}

/// The rota by area for a day or a week; `area` empty or absent for every area.
#[tauri::command]
pub async fn area_rota(
    db: State<'_, Db>,
    date: Option<chrono::NaiveDate>,
    days: u32,
    area: Option<String>,
) -> Reply<Printable> {
    db.run(move |s| {
        service::area_rota_for(s, date.unwrap_or_else(|| s.today()), days, area.as_deref()).map(Printable::from)
    })
    .await
}

#[tauri::command]
pub async fn emergency_pack(db: State<'_, Db>) -> Reply<Printable> {
    db.run(|s| service::emergency_pack_from(s, s.now()).map(Printable::from)).await
}

#[tauri::command]
pub async fn handover_sheet(db: State<'_, Db>, at: String, direction: Option<Direction>) -> Reply<Printable> {
    db.run(move |s| {
        let (at, direction) = handovers::handover_moment(s, &at, direction)?;
        handovers::handover_sheet_at(s, direction, at).map(Printable::from)
    })
    .await
}

#[tauri::command]
pub async fn give_handover(db: State<'_, Db>, at: String, direction: Option<Direction>) -> Reply<Uuid> {
    db.run(move |s| {
        let (at, direction) = handovers::handover_moment(s, &at, direction)?;
        handovers::give_handover(s, direction, at)
    })
    .await
}

#[tauri::command]
pub async fn acknowledge_handover(db: State<'_, Db>, id: Uuid, note: String) -> Reply<()> {
    db.run(move |s| handovers::acknowledge_handover(s, id, &note)).await
}

#[tauri::command]
pub async fn list_handovers(db: State<'_, Db>) -> Reply<Vec<HandoverRow>> {
    db.run(|s| handovers::list_handovers(s.read(), 50)).await
}

#[tauri::command]
pub async fn given_handover(db: State<'_, Db>, id: Uuid) -> Reply<Printable> {
    db.run(move |s| handovers::given_sheet(s.read(), id).map(Printable::from)).await
}

/// Writes the document shown on screen as a PDF in Downloads (or the data
/// folder's `exports`) and says where.
#[tauri::command]
pub async fn save_document_pdf(app: tauri::AppHandle, db: State<'_, Db>, document: Document) -> Reply<String> {
    let folder = crate::commands::export_folder(&app);
    db.run(move |_| {
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(service::pdf_file_name(&document));
        caredesk::documents::write_pdf(&document, &path)?;
        Ok(path.display().to_string())
    })
    .await
}

/// A carer's visits as an iCalendar file, saved like a PDF.
#[tauri::command]
pub async fn save_carer_calendar(
    app: tauri::AppHandle,
    db: State<'_, Db>,
    carer_id: Uuid,
    date: Option<chrono::NaiveDate>,
    days: u32,
) -> Reply<String> {
    let folder = crate::commands::export_folder(&app);
    db.run(move |s| {
        let date = date.unwrap_or_else(|| s.today());
        let ics = service::carer_calendar(s, carer_id, date, days)?;
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(service::calendar_file_name(carer_id, date));
        std::fs::write(&path, ics)?;
        Ok(path.display().to_string())
    })
    .await
}

#[tauri::command]
pub async fn emergency_pack_status(db: State<'_, Db>) -> Reply<PackStatus> {
    db.run_open(|agency| {
        let default = agency.default_pack_folder();
        refresh::pack_status(agency.store()?.read(), &default)
    })
    .await
}

#[tauri::command]
pub async fn save_emergency_pack_folder(db: State<'_, Db>, folder: String) -> Reply<PackStatus> {
    db.run_open(move |agency| {
        let default = agency.default_pack_folder();
        let store = agency.store()?;
        refresh::save_pack_folder(store, &folder)?;
        refresh::pack_status(store.read(), &default)
    })
    .await
}

/// Checks every few minutes whether tonight's emergency pack is due.
pub fn start_evening_emergency_pack(db: Db) {
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
        if let Err(e) = db.quietly(|agency| agency.refresh_emergency_pack()) {
            eprintln!("Caredesk: the evening emergency pack was not written ({})", e.code());
        }
        std::thread::sleep(std::time::Duration::from_secs(4 * 60));
    });
}
