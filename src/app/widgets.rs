//! Small widgets shared by the panels.

use egui::{Color32, Sense, TextStyle, WidgetText};

/// A rounded label chip (theme, target badge). Allocates its exact size, so a wrapping layout
/// moves it to the next row instead of letting it overflow.
pub fn chip(ui: &mut egui::Ui, text: &str, fill: Color32, text_color: Color32) -> egui::Response {
    let padding = egui::vec2(6.0, 1.0);
    let galley = WidgetText::from(text).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        TextStyle::Small,
    );
    let size = galley.size() + 2.0 * padding;
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    if ui.is_rect_visible(rect) {
        ui.painter().rect_filled(rect, 8.0, fill);
        ui.painter().galley(rect.min + padding, galley, text_color);
    }
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
    response
}
