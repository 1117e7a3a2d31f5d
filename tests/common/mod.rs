//! The app under egui_kittest, as the UI tests build it.

use egui_kittest::Harness;
use planalign::app::{GuiOptions, Lang, PlanAlignApp, install_fonts};
use planalign::library::bundled_entries;

/// The app on the bundled plans at 1600×1000, in a language.
pub fn harness(lang: Lang) -> Harness<'static, PlanAlignApp> {
    harness_for(PlanAlignApp::new(
        bundled_entries(),
        lang,
        &GuiOptions::default(),
    ))
}

/// A prepared app at 1600×1000.
pub fn harness_for(app: PlanAlignApp) -> Harness<'static, PlanAlignApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut PlanAlignApp| app.show(ui), app)
}
