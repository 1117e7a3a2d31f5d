//! The bundled CJK font (WenQuanYi Micro Hei), installed as a fallback for both families so
//! Chinese renders on machines with no CJK font installed.

/// The font file, compiled in (licence in assets/fonts/).
const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttf");

/// Adds the bundled CJK font after egui's own fonts in both families, and sets the light theme
/// the app's colours are made for.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.add_font(egui::epaint::text::FontInsert {
        name: "wqy-microhei".to_owned(),
        data: egui::FontData::from_static(CJK_FONT),
        families: [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
            .into_iter()
            .map(|family| egui::epaint::text::InsertFontFamily {
                family,
                priority: egui::epaint::text::FontPriority::Lowest,
            })
            .collect(),
    });
}
