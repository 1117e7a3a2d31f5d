//! The gutter between the panes: a connector from each measure to each linked measure, coloured
//! by kind, as wide as its score, dashed while unreviewed, solid once accepted, dimmed when
//! rejected, highlighted for the selection.

use std::collections::HashMap;

use egui::{Pos2, Rect, Stroke, epaint::CubicBezierShape};

use crate::model::LinkStatus;

use super::state::AppState;
use super::style;

/// Where the ends of a connector go: from the right edge of a left card to the left edge of a
/// right card, at their vertical centres. Pure geometry, so it is tested without a UI.
pub fn connector_ends(left_card: Rect, right_card: Rect, gutter: Rect) -> (Pos2, Pos2) {
    (
        Pos2::new(gutter.left(), left_card.center().y),
        Pos2::new(gutter.right(), right_card.center().y),
    )
}

/// Paints connectors for the links whose cards are on screen, clipped to `clip`.
pub fn link_gutter_ui(
    painter: &egui::Painter,
    state: &AppState,
    gutter: Rect,
    left_rects: &HashMap<String, Rect>,
    right_rects: &HashMap<String, Rect>,
) {
    let selected = state.ui.selected.as_ref();
    for link in &state.derived().alignment.links {
        let (Some(&left_card), Some(&right_card)) = (
            left_rects.get(&link.left_id),
            right_rects.get(&link.right_id),
        ) else {
            continue;
        };
        let highlighted = selected.is_some_and(|(side, id)| id == link.id(*side));
        let (start, end) = connector_ends(left_card, right_card, gutter);
        let bend = gutter.width() * 0.5;
        let color = style::link_color(link.kind, link.status);
        let color = if selected.is_some() && !highlighted {
            color.gamma_multiply(0.35)
        } else {
            color
        };
        paint_connector(
            painter,
            [
                start,
                Pos2::new(start.x + bend, start.y),
                Pos2::new(end.x - bend, end.y),
                end,
            ],
            Stroke::new(style::link_width(link.score, highlighted), color),
            link.status,
        );
    }
}

/// A connector (a cubic curve through `points`) as its review status shows it: dashed while
/// unreviewed, solid otherwise.
pub fn paint_connector(
    painter: &egui::Painter,
    points: [Pos2; 4],
    stroke: Stroke,
    status: LinkStatus,
) {
    let curve =
        CubicBezierShape::from_points_stroke(points, false, egui::Color32::TRANSPARENT, stroke);
    if status == LinkStatus::Unreviewed {
        let path = curve.flatten(Some(1.0));
        let dash = (stroke.width * 2.5).max(5.0);
        painter.extend(egui::Shape::dashed_line(&path, stroke, dash, dash * 0.6));
    } else {
        painter.add(curve);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connectors_join_card_centres_across_the_gutter() {
        let gutter = Rect::from_min_max(Pos2::new(500.0, 0.0), Pos2::new(590.0, 900.0));
        let left = Rect::from_min_max(Pos2::new(10.0, 100.0), Pos2::new(490.0, 160.0));
        let right = Rect::from_min_max(Pos2::new(600.0, 400.0), Pos2::new(1000.0, 500.0));
        let (start, end) = connector_ends(left, right, gutter);
        assert_eq!(start, Pos2::new(500.0, 130.0));
        assert_eq!(end, Pos2::new(590.0, 450.0));
    }
}
