//! The selected measure: its text, and for each link the score, kind, explanation and the
//! character diff of the two texts (shared and differing runs in distinct colours).

use egui::{RichText, text::LayoutJob};

use crate::align::Link;
use crate::model::{LinkOrigin, LinkStatus};

use super::command::Command;
use super::i18n::{Lang, Text};
use super::state::{AppState, Side};
use super::style;

/// Draws the detail of the selected measure.
pub fn detail_panel_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    let Some((side, measure_id)) = state.ui.selected.clone() else {
        ui.label(RichText::new(lang.tr(Text::SelectAMeasure)).weak());
        return;
    };
    let (Some(own_plan), Some(other_plan)) = (
        state.plan(side),
        state.plan(if side == Side::Left {
            Side::Right
        } else {
            Side::Left
        }),
    ) else {
        return;
    };
    let Some(measure) = own_plan.measure(&measure_id) else {
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("detail")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(RichText::new(format!("{}{}", measure.label, measure.title)).strong());
            let linked = state.linked(side, &measure_id);
            if linked.is_empty() {
                ui.label(RichText::new(lang.tr(Text::NoCounterpart)).color(style::UNMATCHED));
                ui.label(&measure.text);
            }
            for (other_id, _) in linked {
                let Some(other) = other_plan.measure(&other_id) else {
                    continue;
                };
                let Some(link) = state
                    .derived()
                    .alignment
                    .links_of(side, &measure_id)
                    .find(|l| l.id(side.other()) == other_id)
                else {
                    continue;
                };
                ui.separator();
                let current = state
                    .ui
                    .current_link
                    .as_ref()
                    .is_some_and(|(l, r)| *l == link.left_id && *r == link.right_id);
                ui.horizontal_wrapped(|ui| {
                    let marker = if current { "▶" } else { "▷" };
                    if ui
                        .selectable_label(current, marker)
                        .on_hover_text(lang.tr(Text::CurrentLink))
                        .clicked()
                    {
                        commands.push(Command::SelectLink {
                            left_id: link.left_id.clone(),
                            right_id: link.right_id.clone(),
                        });
                    }
                    if ui
                        .link(RichText::new(format!("→ {}{}", other.label, other.title)).strong())
                        .clicked()
                    {
                        let other_side = if side == Side::Left {
                            Side::Right
                        } else {
                            Side::Left
                        };
                        commands.push(Command::SelectMeasure {
                            side: other_side,
                            measure_id: other_id.clone(),
                        });
                    }
                    let origin = if link.origin == LinkOrigin::Manual {
                        format!(" · {}", lang.tr(Text::Manual))
                    } else {
                        String::new()
                    };
                    ui.label(format!(
                        "{} {} · {} · {}{origin}",
                        lang.tr(Text::Score),
                        lang.likelihood(link.score),
                        lang.kind(link.kind),
                        lang.status(link.status)
                    ));
                    for (verdict, text) in [
                        (LinkStatus::Accepted, Text::Accept),
                        (LinkStatus::Rejected, Text::Reject),
                    ] {
                        let active = link.status == verdict;
                        if ui.selectable_label(active, lang.tr(text)).clicked() {
                            commands.push(Command::SetLinkStatus {
                                left_id: link.left_id.clone(),
                                right_id: link.right_id.clone(),
                                status: if active {
                                    LinkStatus::Unreviewed
                                } else {
                                    verdict
                                },
                            });
                        }
                    }
                    if link.status != LinkStatus::Rejected
                        && ui.button(lang.tr(Text::Unlink)).clicked()
                    {
                        commands.push(Command::Unlink {
                            left_id: link.left_id.clone(),
                            right_id: link.right_id.clone(),
                        });
                    }
                });
                note_ui(ui, lang, link, commands);
                for (label, values) in [
                    (Text::SharedPhrases, link.shared_phrases.join("、")),
                    (
                        Text::SharedThemes,
                        lang.theme_names(state.codebook(), &link.shared_themes),
                    ),
                    (Text::SharedUnits, link.shared_units.join("、")),
                    (Text::Evidence, lang.evidence(&link.evidence)),
                ] {
                    if !values.is_empty() {
                        ui.label(format!("{}：{values}", lang.tr(label)));
                    }
                }
                ui.horizontal(|ui| {
                    ui.label(RichText::new(lang.tr(Text::Diff)).weak());
                    super::widgets::chip(
                        ui,
                        lang.tr(Text::LeftOnly),
                        style::DIFF_LEFT_ONLY,
                        style::CHIP_TEXT,
                    );
                    super::widgets::chip(
                        ui,
                        lang.tr(Text::RightOnly),
                        style::DIFF_RIGHT_ONLY,
                        style::CHIP_TEXT,
                    );
                });
                let Some(diff) = state
                    .derived()
                    .selected_diffs
                    .get(&(link.left_id.clone(), link.right_id.clone()))
                else {
                    continue;
                };
                ui.columns(2, |columns| {
                    for (column, diff_side) in columns.iter_mut().zip(Side::BOTH) {
                        let mut job = LayoutJob::default();
                        job.wrap.max_width = column.available_width();
                        for segment in diff.side(diff_side) {
                            let background = match segment.only {
                                None => egui::Color32::TRANSPARENT,
                                Some(Side::Left) => style::DIFF_LEFT_ONLY,
                                Some(Side::Right) => style::DIFF_RIGHT_ONLY,
                            };
                            job.append(
                                &segment.text,
                                0.0,
                                egui::TextFormat {
                                    font_id: egui::FontId::proportional(13.0),
                                    color: style::DIFF_SHARED,
                                    background,
                                    ..Default::default()
                                },
                            );
                        }
                        column.label(job);
                    }
                });
            }
        });
}

/// The analyst's note on a link: edited in place, each change sent as a command (one undo step
/// per link while typing).
fn note_ui(ui: &mut egui::Ui, lang: Lang, link: &Link, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = ui.label(lang.tr(Text::Note));
        let mut note = link.note.clone();
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut note)
                    .id_salt(("note", &link.left_id, &link.right_id))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if response.changed() {
            commands.push(Command::SetNote {
                left_id: link.left_id.clone(),
                right_id: link.right_id.clone(),
                note,
            });
        }
    });
}
