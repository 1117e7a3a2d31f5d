//! Every colour and spacing constant of the app.

use egui::Color32;

use crate::model::{LinkKind, LinkStatus};

/// Width of the gutter between the panes, where connectors are drawn.
pub const GUTTER_WIDTH: f32 = 90.0;
/// Inner margin of a measure card.
pub const CARD_MARGIN: f32 = 8.0;
/// Space between cards.
pub const CARD_SPACING: f32 = 6.0;
/// Width of the plan library panel.
pub const LIBRARY_WIDTH: f32 = 260.0;
/// Height of the detail panel.
pub const DETAIL_HEIGHT: f32 = 300.0;

/// Card background.
pub const CARD_FILL: Color32 = Color32::from_rgb(0xFA, 0xFA, 0xF7);
/// Card background when selected.
pub const CARD_SELECTED: Color32 = Color32::from_rgb(0xFF, 0xF1, 0xC2);
/// Card background when linked to the selected measure.
pub const CARD_LINKED: Color32 = Color32::from_rgb(0xE3, 0xF0, 0xFF);
/// Card border.
pub const CARD_STROKE: Color32 = Color32::from_rgb(0xD0, 0xD4, 0xDA);
/// Marker of a measure with no counterpart.
pub const UNMATCHED: Color32 = Color32::from_rgb(0xC2, 0x41, 0x0C);
/// Dark text on chips.
pub const CHIP_TEXT: Color32 = Color32::from_rgb(0x1F, 0x23, 0x28);
/// Target badge background.
pub const TARGET_FILL: Color32 = Color32::from_rgb(0xE8, 0xF5, 0xE9);
/// Shared text in a diff.
pub const DIFF_SHARED: Color32 = Color32::from_rgb(0x1F, 0x23, 0x28);
/// Text only on the left side of a diff (background).
pub const DIFF_LEFT_ONLY: Color32 = Color32::from_rgb(0xFF, 0xD7, 0xD5);
/// Text only on the right side of a diff (background).
pub const DIFF_RIGHT_ONLY: Color32 = Color32::from_rgb(0xCD, 0xF0, 0xD4);

/// Connector colour by link kind, dimmed when rejected.
pub fn link_color(kind: LinkKind, status: LinkStatus) -> Color32 {
    let base = match kind {
        LinkKind::NearVerbatim => Color32::from_rgb(0x1B, 0x7F, 0x3B),
        LinkKind::Refined => Color32::from_rgb(0x1F, 0x5F, 0xBF),
        LinkKind::Related => Color32::from_rgb(0x8A, 0x6D, 0x1E),
    };
    match status {
        LinkStatus::Rejected => base.gamma_multiply(0.2),
        LinkStatus::Accepted => base,
        LinkStatus::Unreviewed => base.gamma_multiply(0.75),
    }
}

/// Connector width by score.
pub fn link_width(score: f32, highlighted: bool) -> f32 {
    let base = 1.0 + 4.0 * score.clamp(0.0, 1.0);
    if highlighted { base + 1.5 } else { base }
}

/// Chip background of a theme colour given as RGB.
pub fn chip_fill(rgb: [u8; 3]) -> Color32 {
    let [r, g, b] = rgb;
    Color32::from_rgb(r, g, b)
}

/// Width of the list beside the coverage heat map.
pub const COVERAGE_LIST_WIDTH: f32 = 320.0;
/// Width of the codebook panel.
pub const CODEBOOK_WIDTH: f32 = 300.0;
/// Pillar headings in the heat map.
pub const PILLAR_TEXT: Color32 = Color32::from_rgb(0x37, 0x47, 0x4F);
/// Size of a heat-map cell.
pub const HEAT_CELL: egui::Vec2 = egui::vec2(76.0, 20.0);
/// Width of the theme names in the heat map.
pub const HEAT_LABEL_WIDTH: f32 = 200.0;
/// Border of the selected heat-map cell.
pub const HEAT_SELECTED: Color32 = Color32::from_rgb(0xC2, 0x41, 0x0C);
/// Shade over the window while files are dragged over it.
pub const DROP_SHADE: Color32 = Color32::from_rgba_premultiplied(0x10, 0x20, 0x30, 0xB0);
/// Toast background for information.
pub const TOAST_INFO: Color32 = Color32::from_rgb(0x26, 0x32, 0x38);
/// Toast background for errors.
pub const TOAST_ERROR: Color32 = Color32::from_rgb(0xB7, 0x1C, 0x1C);

/// Heat-map cell colour for a share of the busiest cell (0 = empty, 1 = busiest): white to a
/// deep blue.
pub fn heat(share: f32) -> Color32 {
    let t = share.clamp(0.0, 1.0);
    let lerp = |from: f32, to: f32| {
        let value = (from + (to - from) * t).round().clamp(0.0, 255.0);
        // In 0..=255 after the clamp.
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "clamped"
        )]
        let byte = value as u8;
        byte
    };
    if t == 0.0 {
        return Color32::from_rgb(0xF4, 0xF5, 0xF7);
    }
    Color32::from_rgb(lerp(222.0, 8.0), lerp(235.0, 69.0), lerp(247.0, 148.0))
}

/// Text colour readable on [`heat`] of the same share.
pub fn heat_text(share: f32) -> Color32 {
    if share > 0.5 {
        Color32::WHITE
    } else {
        Color32::from_rgb(0x1F, 0x23, 0x28)
    }
}
