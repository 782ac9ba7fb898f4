//! How the app's window opens on the screen it finds. It is designed for a
//! 1366×768 laptop, but a 14-inch 1080p laptop at 150 % scaling offers
//! 1280×720 (less its taskbar). A window larger than the screen hangs off
//! its edge, with the Save button of a panel out of reach, so on a smaller
//! screen the window fills the screen's free area instead.
//!
//! Sizes are logical pixels (the page's CSS pixels): the screen's physical
//! pixels divided by its scale.

/// A width and a height, in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

/// The part of a screen a window may use (its work area: the screen less
/// taskbars and panels), in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub size: Size,
}

/// How the window opens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Opening {
    /// The screen has room: the designed size, placed as the system places it.
    AsDesigned,
    /// The screen is smaller than the design in width or height: the window
    /// fills `area` (maximised, where a window manager offers that), and may
    /// be made as small as `minimum`, which is never larger than the area.
    Fill { area: Area, minimum: Size },
}

/// How a window designed at `designed`, never smaller than `minimum`, opens
/// on a screen whose free area is `free`.
pub fn opening(designed: Size, minimum: Size, free: Area) -> Opening {
    let fits = designed.width <= free.size.width && designed.height <= free.size.height;
    // A system that reports no free area at all (an empty or unset work
    // area) says nothing about the screen: the window keeps its design.
    let unknown = free.size.width < 1.0 || free.size.height < 1.0;
    if fits || unknown {
        return Opening::AsDesigned;
    }
    Opening::Fill {
        area: free,
        minimum: Size { width: minimum.width.min(free.size.width), height: minimum.height.min(free.size.height) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGNED: Size = Size { width: 1366.0, height: 768.0 };
    const MINIMUM: Size = Size { width: 1024.0, height: 600.0 };

    fn free(x: f64, y: f64, width: f64, height: f64) -> Area {
        Area { x, y, size: Size { width, height } }
    }

    #[test]
    fn a_screen_with_room_opens_the_window_at_its_designed_size() {
        assert_eq!(opening(DESIGNED, MINIMUM, free(0.0, 27.0, 1920.0, 1053.0)), Opening::AsDesigned);
        // Exactly the designed size still fits.
        assert_eq!(opening(DESIGNED, MINIMUM, free(0.0, 0.0, 1366.0, 768.0)), Opening::AsDesigned);
    }

    #[test]
    fn a_1080p_laptop_at_150_percent_with_a_taskbar_is_filled_below_its_taskbar() {
        // 1920×1080 at 1.5 is 1280×720; a 48 px taskbar at the bottom leaves 672.
        let area = free(0.0, 0.0, 1280.0, 672.0);
        assert_eq!(opening(DESIGNED, MINIMUM, area), Opening::Fill { area, minimum: MINIMUM });
    }

    #[test]
    fn a_screen_short_of_room_in_one_direction_only_is_filled_all_the_same() {
        let area = free(0.0, 32.0, 1600.0, 700.0);
        assert_eq!(opening(DESIGNED, MINIMUM, area), Opening::Fill { area, minimum: MINIMUM });
    }

    #[test]
    fn a_screen_that_reports_no_free_area_leaves_the_window_as_designed() {
        assert_eq!(opening(DESIGNED, MINIMUM, free(0.0, 0.0, 0.0, 0.0)), Opening::AsDesigned);
        assert_eq!(opening(DESIGNED, MINIMUM, free(0.0, 0.0, 1280.0, 0.0)), Opening::AsDesigned);
    }

    #[test]
    fn a_screen_smaller_than_the_minimum_lowers_the_minimum_to_fit_it() {
        let area = free(0.0, 24.0, 1024.0, 576.0);
        assert_eq!(
            opening(DESIGNED, MINIMUM, area),
            Opening::Fill { area, minimum: Size { width: 1024.0, height: 576.0 } }
        );
    }
}
