//! The arithmetic of a virtual list: which rows to put in the DOM for a scroll position, and where. Rows have
//! one fixed height. Browsers cap an element's height (Chrome at about 33.5 million pixels), so a list taller
//! than [`MAX_HEIGHT`] is drawn in a container of that height and the scroll position is scaled: the scroll bar
//! still runs from the first row to the last.

/// Well under every browser's cap on an element's height.
pub const MAX_HEIGHT: f64 = 10_000_000.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// The height to give the list's container.
    pub container_height: f64,
    /// The rows to render: `first..end`.
    pub first: usize,
    pub end: usize,
    /// Where row `first` starts inside the container; the others follow one row height apart.
    pub first_top: f64,
}

/// The window for a list of `rows` rows of `row_height` pixels, when the viewport (of height `viewport`) has
/// scrolled `scrolled` pixels past the list's top (negative before it). `overscan` extra rows on each side
/// keep fast scrolling from showing gaps.
pub fn window(rows: usize, row_height: f64, scrolled: f64, viewport: f64, overscan: usize) -> Window {
    let total = rows as f64 * row_height;
    let container_height = total.min(MAX_HEIGHT);
    let scroll_room = (container_height - viewport).max(0.0);
    let y = scrolled.clamp(0.0, scroll_room);
    // The position in the full-height list that `y` stands for.
    let virtual_y = if total > container_height && scroll_room > 0.0 { y * (total - viewport) / scroll_room } else { y };
    let first_visible = (virtual_y / row_height).floor() as usize;
    let visible = (viewport / row_height).ceil() as usize + 1;
    let first = first_visible.saturating_sub(overscan).min(rows);
    let end = (first_visible + visible + overscan).min(rows);
    let first_top = y + first as f64 * row_height - virtual_y;
    Window { container_height, first, end, first_top }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_renders_whole() {
        let w = window(5, 100.0, -300.0, 800.0, 3);
        assert_eq!((w.first, w.end, w.first_top, w.container_height), (0, 5, 0.0, 500.0));
    }

    #[test]
    fn a_long_list_renders_only_what_is_on_screen() {
        let w = window(10_000, 200.0, 50_000.0, 800.0, 3);
        // Rows 250–254 are on screen, with three more on each side.
        assert_eq!((w.first, w.end), (247, 258));
        assert_eq!(w.first_top, 247.0 * 200.0);
        assert_eq!(w.container_height, 2_000_000.0);
    }

    #[test]
    fn a_million_rows_fit_under_the_height_cap_and_scroll_end_to_end() {
        let (rows, row, viewport) = (1_000_000, 200.0, 800.0);
        let top = window(rows, row, 0.0, viewport, 3);
        assert_eq!(top.container_height, MAX_HEIGHT);
        assert_eq!((top.first, top.first_top), (0, 0.0));
        let bottom = window(rows, row, MAX_HEIGHT - viewport, viewport, 3);
        assert_eq!(bottom.end, rows);
        // The last row ends exactly at the bottom of the container.
        let last_bottom = bottom.first_top + (bottom.end - bottom.first) as f64 * row;
        assert!((last_bottom - MAX_HEIGHT).abs() < 1e-3, "{last_bottom}");
        for scrolled in [1.0, 12_345.0, 5_000_000.0, 9_000_000.0] {
            let w = window(rows, row, scrolled, viewport, 3);
            assert!(w.end - w.first <= 60, "{} rows in the DOM", w.end - w.first);
            // Row `first` sits above the viewport's top and the rendered rows cover the whole viewport.
            assert!(w.first_top <= scrolled + 1e-6 && w.first_top + (w.end - w.first) as f64 * row >= scrolled + viewport);
        }
    }
}
