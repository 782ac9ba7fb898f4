//! Caredesk's desktop shell: opens the core's database in the app's data
//! folder and exposes the core's services as Tauri commands. No logic here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod access_commands;
mod backup_commands;
mod commands;
mod document_commands;
mod memory;
mod risk_commands;
mod state;
mod window;

use tauri::Manager;

fn main() {
    memory::give_memory_back_sooner();
    // WebKitGTK's accelerated compositing keeps GPU layers, drawn in software
    // where there is no GPU: measured on the large agency's rota under Xvfb
    // (`cargo xtask bench startup release`), the web process took 311 MB
    // with it and 156 MB without, and the board painted sooner. The rota is
    // drawn boxes and text, with no animation that needs the layers.
    // With the layers off, nothing in the window draws with OpenGL, so GTK
    // need not load it to choose its visuals (`GDK_GL`), nor WebKit to hand
    // frames over as GPU buffers (`WEBKIT_DISABLE_DMABUF_RENDERER`): the
    // whole app took 221 MB at the sign-in screen instead of 229, on the
    // same bench.
    // The page's scripts run in JavaScriptCore's interpreter, with no JIT
    // compiler at all (`JSC_useJIT`), as Safari's Lockdown Mode runs them:
    // the board lays out a screenful at a time and waits, and a JIT's code
    // and the compiler's own pages cost more memory than they save time.
    // The optimising tiers went first (270 MB instead of 279 with the day
    // painted, the week drawn as fast). Then the baseline JIT, release
    // build, three starts each: huge agency, the web process 127-129 MB
    // instead of 133-134 with the day painted (the whole app 247 MB instead
    // of 252), 150 instead of 156 with the week; large agency, 229 MB
    // instead of 235 with the day, 248 instead of 253 with the week. The
    // price is script time: the huge agency's week drawn in 306 ms instead
    // of 219, the large one's in 272 instead of 202, the day as fast, and a
    // screenful scrolled in 16 ms instead of 11 (one frame).
    // And its heap is kept small (`JSC_forceMiniVMMode`): it grows by a
    // quarter, not double, between collections, and hands freed memory back
    // sooner. Same bench, two rounds of three starts each, large agency: the
    // day painted in 245 MB instead of 247-248, the week in 271-272 instead
    // of 297, drawn as fast; huge agency: 279 MB instead of 284 with the
    // day, 342 instead of 355 with the week, which drew in 1.0-1.1 s instead
    // of 0.9-1.0 s.
    // Set before GTK and WebKit start (the web process inherits them); a
    // value already in the environment wins.
    for (name, value) in [
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        ("GDK_GL", "disable"),
        ("JSC_useJIT", "false"),
        ("JSC_forceMiniVMMode", "true"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
    // With neither GPU layers nor GPU buffers, this process draws nothing
    // with OpenGL, and need not hold its driver (see `memory`).
    let off = |name: &str| std::env::var(name).is_ok_and(|v| v == "1");
    memory::no_opengl_driver_in_this_process(
        off("WEBKIT_DISABLE_COMPOSITING_MODE") && off("WEBKIT_DISABLE_DMABUF_RENDERER"),
    );
    tauri::Builder::default()
        .setup(|app| {
            let dir = caredesk::app::data_dir(app.path().app_data_dir()?);
            let db = state::Db::open(&dir, caredesk::clock::for_the_app()?);
            backup_commands::start_hourly_backups(db.shared());
            document_commands::start_evening_emergency_pack(db.shared());
            app.manage(db);
            if let Some(main) = app.get_webview_window("main") {
                window::fit_to_screen(&main)?;
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            risk_commands::subject_risk,
            risk_commands::activity_risks,
            risk_commands::visit_controls,
            risk_commands::assessment_form,
            risk_commands::save_assessment,
            risk_commands::live_board,
            risk_commands::record_call,
            risk_commands::take_step,
            risk_commands::import_calls,
            risk_commands::risk_settings,
            risk_commands::save_risk_settings,
            document_commands::run_sheets,
            document_commands::area_rota,
            document_commands::emergency_pack,
            document_commands::handover_sheet,
            document_commands::give_handover,
            document_commands::acknowledge_handover,
            document_commands::list_handovers,
            document_commands::given_handover,
            document_commands::save_document_pdf,
            document_commands::save_carer_calendar,
            document_commands::emergency_pack_status,
            document_commands::save_emergency_pack_folder,
            backup_commands::backups,
            backup_commands::back_up_now,
            backup_commands::backup_preview,
            backup_commands::restore_backup,
            access_commands::sign_in_state,
            access_commands::create_first_user,
            access_commands::sign_in,
            access_commands::sign_out,
            access_commands::recover_with_key,
            access_commands::rotate_key,
            access_commands::still_here,
            access_commands::list_users,
            access_commands::user_form,
            access_commands::save_user,
            access_commands::change_own_password,
            access_commands::idle_lock_minutes,
            access_commands::save_idle_lock_minutes,
            commands::app_info,
            commands::overview,
            commands::attention,
            commands::skills,
            commands::list_carers,
            commands::carer_detail,
            commands::carer_form,
            commands::hours_before_caredesk,
            commands::save_hours_before_caredesk,
            commands::save_carer,
            commands::list_clients,
            commands::client_detail,
            commands::client_form,
            commands::save_client,
            commands::package_form,
            commands::save_package,
            commands::delete_package,
            commands::record_history,
            commands::roll_forward,
            commands::stop_roll_forward,
            commands::made_ahead,
            commands::travel_settings,
            commands::save_travel_settings,
            commands::working_time_settings,
            commands::save_working_time_settings,
            commands::candidates,
            commands::give_same_carers,
            commands::auto_schedule,
            commands::stop_auto_schedule,
            commands::auto_offers_together,
            commands::apply_auto_plan,
            commands::give,
            commands::unallocate,
            commands::board_view,
            commands::board_part,
            commands::board_visit,
            commands::board_seek,
            commands::board_near,
            commands::prepare_board,
            commands::visit_form,
            commands::edit_visit,
            commands::cancel_visit,
            commands::reinstate_visit,
            commands::visit_history,
            commands::visit_gone_past,
            commands::publish,
            commands::untold,
            commands::mark_told,
            commands::continuity_report,
            commands::client_continuity,
            commands::list_incidents,
            commands::incident_detail,
            commands::incident_form,
            commands::save_incident,
            commands::add_notification,
            commands::decide_notification,
            commands::record_sent,
            commands::save_follow_up,
            commands::set_incident_status,
            commands::add_addendum,
            commands::waiting_notifications,
            commands::incident_trends,
            commands::export_incident_trends,
            commands::export_everything,
            commands::export_subject,
            commands::import_columns,
            commands::import_preview,
            commands::import_file,
            commands::stop_import,
            commands::incident_choices,
            commands::on_call_summary,
            commands::on_call_roster,
            commands::save_shift,
            commands::save_on_call_pattern,
            commands::cover_shift,
            commands::swap_shifts,
            commands::remove_shift,
            commands::recent_calls,
            commands::open_follow_ups,
            commands::log_call,
            commands::add_to_call,
            commands::mark_off,
            commands::reallocation,
            commands::apply_replacement,
            commands::apply_best_for_all,
            commands::leave_in_queue,
            commands::off_form,
            commands::shift_form,
        ])
        .run(tauri::generate_context!())
        .expect("Caredesk could not start its window");
}
