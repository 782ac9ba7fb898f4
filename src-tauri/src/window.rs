//! Opens the main window to fit the screen it is on, as `caredesk::screen`
//! decides: on a screen smaller than the design, it fills the free area.

use caredesk::screen::{opening, Area, Opening, Size};
use tauri::{LogicalPosition, LogicalSize, Manager, WebviewWindow};

pub fn fit_to_screen(window: &WebviewWindow) -> tauri::Result<()> {
    // The smallest size the window was designed for: `minWidth` and
    // `minHeight` in tauri.conf.json (none set: no minimum).
    let config = window.config().app.windows.iter().find(|w| w.label == window.label());
    let minimum = Size {
        width: config.and_then(|w| w.min_width).unwrap_or(0.0),
        height: config.and_then(|w| w.min_height).unwrap_or(0.0),
    };
    let Some(monitor) = window.current_monitor()?.or(window.primary_monitor()?) else {
        return Ok(());
    };
    let scale = monitor.scale_factor();
    let work = monitor.work_area();
    let free = Area {
        x: f64::from(work.position.x) / scale,
        y: f64::from(work.position.y) / scale,
        size: Size { width: f64::from(work.size.width) / scale, height: f64::from(work.size.height) / scale },
    };
    let designed = window.inner_size()?.to_logical::<f64>(scale);
    let designed = Size { width: designed.width, height: designed.height };
    if let Opening::Fill { area, minimum } = opening(designed, minimum, free) {
        window.set_min_size(Some(LogicalSize::new(minimum.width, minimum.height)))?;
        window.set_size(LogicalSize::new(area.size.width, area.size.height))?;
        window.set_position(LogicalPosition::new(area.x, area.y))?;
        // Where a window manager runs, it fits the frame and title bar too.
        window.maximize()?;
    }
    Ok(())
}
