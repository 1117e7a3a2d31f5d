//! One plan in its own order: section headings and measure cards (label, title, theme chips,
//! lead agencies, target badges, unmatched marker). Records each card's rect for the gutter.
//! Measures the filter hides are left out, and headings with nothing visible under them.

use std::collections::{HashMap, HashSet};

use egui::{Color32, RichText, Sense};

use crate::model::{LinkStatus, Measure, Plan, Section};
use crate::themes::TagOrigin;

use super::command::Command;
use super::i18n::Text;
use super::state::{AppState, Side};
use super::style;

/// Draws a plan's pane; fills `card_rects` with each measure card's screen rect.
pub fn plan_pane_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    side: Side,
    card_rects: &mut HashMap<String, egui::Rect>,
    commands: &mut Vec<Command>,
) {
    let Some(plan) = state.plan(side) else {
        return;
    };
    let id = side.pick("left_pane", "right_pane");
    ui.heading(&plan.meta.title);
    ui.label(
        RichText::new(format!(
            "{} · {} {} · {} {}",
            plan.meta.jurisdiction.name.as_deref().unwrap_or("?"),
            plan.measures.len(),
            state.ui.lang.tr(Text::Measures),
            state.derived().alignment.links.len(),
            state.ui.lang.tr(Text::Links),
        ))
        .weak(),
    );
    ui.separator();
    let visible: HashSet<String> = state.visible_measures(side).into_iter().collect();
    egui::ScrollArea::vertical()
        .id_salt(id)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let linked = state
                .ui
                .selected
                .as_ref()
                .filter(|(s, _)| *s != side)
                .map(|(s, id)| state.linked(*s, id).into_iter().map(|(o, _)| o).collect())
                .unwrap_or_default();
            let context = PaneContext {
                state,
                side,
                plan,
                visible: &visible,
                linked,
            };
            for section in &plan.sections {
                section_ui(ui, &context, section, 0, card_rects, commands);
            }
            if visible.is_empty() {
                ui.label(RichText::new(state.ui.lang.tr(Text::NoMatch)).weak());
            }
        });
}

/// What every card of a pane reads.
struct PaneContext<'a> {
    state: &'a AppState,
    side: Side,
    plan: &'a Plan,
    visible: &'a HashSet<String>,
    /// Measures of this pane linked to the selection in the other pane.
    linked: HashSet<String>,
}

fn has_visible(section: &Section, visible: &HashSet<String>) -> bool {
    section.item_ids.iter().any(|id| visible.contains(id))
        || section.children.iter().any(|c| has_visible(c, visible))
}

fn section_ui(
    ui: &mut egui::Ui,
    context: &PaneContext<'_>,
    section: &Section,
    depth: usize,
    card_rects: &mut HashMap<String, egui::Rect>,
    commands: &mut Vec<Command>,
) {
    if !has_visible(section, context.visible) {
        return;
    }
    if !section.label.is_empty() {
        let text = format!("{}{}", section.label, section.title);
        let heading = if depth == 0 {
            RichText::new(text).strong().size(15.0)
        } else {
            RichText::new(text).strong()
        };
        ui.add_space(style::CARD_SPACING);
        ui.label(heading);
    }
    for child in &section.children {
        section_ui(ui, context, child, depth + 1, card_rects, commands);
    }
    for item_id in section
        .item_ids
        .iter()
        .filter(|id| context.visible.contains(*id))
    {
        if let Some(measure) = context.plan.measure(item_id) {
            let rect = card_or_space(ui, context, measure, commands);
            card_rects.insert(measure.id.clone(), rect);
        }
    }
}

/// Heights of cards last drawn, by (side, measure id), with the width they were drawn at.
type HeightCache = HashMap<(Side, String), (f32, f32)>;

/// A card in view is drawn; one out of view whose height is known only takes its space, so a
/// pane of hundreds of measures costs what its visible cards cost.
fn card_or_space(
    ui: &mut egui::Ui,
    context: &PaneContext<'_>,
    measure: &Measure,
    commands: &mut Vec<Command>,
) -> egui::Rect {
    let side = context.side;
    let cache_id = egui::Id::unique("card_heights");
    let key = (side, measure.id.clone());
    let width = ui.available_width();
    let known = ui.data_mut(|d| {
        d.get_temp_mut_or_default::<HeightCache>(cache_id)
            .get(&key)
            .copied()
    });
    // Heights change with the selection; a stale height only shifts space out of view, and
    // a card being scrolled to is always drawn so it lands where it is.
    let must_draw = context
        .state
        .ui
        .scroll_to
        .iter()
        .any(|(s, id)| *s == side && *id == measure.id);
    if let Some((height, drawn_width)) = known
        && (drawn_width - width).abs() < 0.5
        && !must_draw
    {
        let rect = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(width, height));
        if !ui.is_rect_visible(rect) {
            ui.allocate_space(egui::vec2(width, height));
            ui.add_space(style::CARD_SPACING);
            return rect;
        }
    }
    let rect = measure_card_ui(ui, context, measure, commands);
    ui.data_mut(|d| {
        d.get_temp_mut_or_default::<HeightCache>(cache_id)
            .insert(key, (rect.height(), width));
    });
    rect
}

fn measure_card_ui(
    ui: &mut egui::Ui,
    context: &PaneContext<'_>,
    measure: &Measure,
    commands: &mut Vec<Command>,
) -> egui::Rect {
    let (state, side) = (context.state, context.side);
    let selected = state
        .ui
        .selected
        .as_ref()
        .is_some_and(|(s, id)| *s == side && *id == measure.id);
    let linked_to_selection = context.linked.contains(&measure.id);
    let unmatched = state.is_unmatched(side, &measure.id);
    let fill = if selected {
        style::CARD_SELECTED
    } else if linked_to_selection {
        style::CARD_LINKED
    } else {
        style::CARD_FILL
    };
    let frame = egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(
            1.0,
            if unmatched {
                style::UNMATCHED
            } else {
                style::CARD_STROKE
            },
        ))
        .corner_radius(4.0)
        .inner_margin(style::CARD_MARGIN);
    // The card's own click sense sits under its contents, so the buttons on it stay clickable.
    let builder = egui::UiBuilder::new()
        .id_salt(("card", side, &measure.id))
        .sense(Sense::click());
    let inner = ui.scope_builder(builder, |ui| {
        frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                // Not selectable text: a click on the title selects the card.
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("{}{}", measure.label, measure.title))
                            .strong()
                            .color(Color32::from_gray(20)),
                    )
                    .selectable(false),
                );
                let to_review = state.links_to_review(side, &measure.id);
                if to_review > 0 {
                    // Links still to review are marked on the card as on the connector (dashed).
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!(
                                "○ {to_review} {}",
                                state.ui.lang.tr(super::i18n::Text::Unreviewed)
                            ))
                            .small()
                            .color(Color32::from_gray(90)),
                        )
                        .selectable(false),
                    );
                }
                if unmatched {
                    ui.add(
                        egui::Label::new(
                            RichText::new(state.ui.lang.tr(super::i18n::Text::Unmatched))
                                .small()
                                .color(style::UNMATCHED),
                        )
                        .selectable(false),
                    );
                }
            });
            let plan_index = state.plan_index(side);
            let themes = state.themes_of(plan_index, &measure.id);
            let suggestions: Vec<_> = state.suggestions_for(plan_index, &measure.id).collect();
            if !themes.is_empty() || !measure.targets.is_empty() || !suggestions.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for theme in themes {
                        let Some(def) = state.codebook().theme(&theme.theme_id) else {
                            continue;
                        };
                        let name = state.ui.lang.theme_name(def);
                        // Hand-made tags are marked, so the analyst sees what the matcher suggested.
                        let shown = if theme.origin == TagOrigin::Manual {
                            format!("✓ {name}")
                        } else {
                            name.to_owned()
                        };
                        super::widgets::chip(
                            ui,
                            &shown,
                            style::chip_fill(def.rgb()),
                            style::CHIP_TEXT,
                        );
                    }
                    for suggestion in suggestions {
                        suggestion_chip_ui(ui, state, suggestion, commands);
                    }
                    for target in measure.targets.iter().take(4) {
                        super::widgets::chip(
                            ui,
                            &target_chip_text(target),
                            style::TARGET_FILL,
                            style::CHIP_TEXT,
                        );
                    }
                });
            }
            if !measure.lead_units.is_empty() {
                let names: Vec<&str> = measure.lead_units.iter().map(|a| a.name.as_str()).collect();
                ui.add(
                    egui::Label::new(RichText::new(names.join("、")).small().weak())
                        .selectable(false),
                );
            }
            if selected {
                ui.label(&measure.text);
            }
            link_button_ui(ui, state, side, measure, linked_to_selection, commands);
        })
    });
    let response = inner
        .response
        .clone()
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    let label = format!("{}{}", measure.label, measure.title);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        commands.push(Command::SelectMeasure {
            side,
            measure_id: measure.id.clone(),
        });
    }
    if state
        .ui
        .scroll_to
        .iter()
        .any(|(s, id)| *s == side && *id == measure.id)
    {
        ui.scroll_to_rect(inner.response.rect, Some(egui::Align::Center));
    }
    ui.add_space(style::CARD_SPACING);
    inner.response.rect
}

/// On the pane opposite the selection: a button linking this measure to the selected one, or
/// unlinking it when they are linked.
fn link_button_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    side: Side,
    measure: &crate::model::Measure,
    linked: bool,
    commands: &mut Vec<Command>,
) {
    let Some((selected_side, selected_id)) = &state.ui.selected else {
        return;
    };
    if *selected_side == side {
        return;
    }
    let (left_id, right_id) = side.pick(
        (measure.id.clone(), selected_id.clone()),
        (selected_id.clone(), measure.id.clone()),
    );
    let lang = state.ui.lang;
    let rejected = state.derived().alignment.links.iter().any(|l| {
        l.left_id == left_id && l.right_id == right_id && l.status == LinkStatus::Rejected
    });
    let text = if linked && !rejected {
        format!("✕ {}", lang.tr(Text::Unlink))
    } else {
        format!("＋ {}", lang.tr(Text::LinkWithSelected))
    };
    if ui.small_button(text).clicked() {
        commands.push(if linked && !rejected {
            Command::Unlink { left_id, right_id }
        } else {
            Command::AddManualLink { left_id, right_id }
        });
    }
}

/// A tag offered across an accepted link: an outlined chip that takes it when clicked, and a
/// × that refuses it; the hover text says where it comes from.
fn suggestion_chip_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    suggestion: &crate::themes::TagSuggestion,
    commands: &mut Vec<Command>,
) {
    let Some(def) = state.codebook().theme(&suggestion.theme_id) else {
        return;
    };
    let lang = state.ui.lang;
    let text = format!(
        "{}? {}",
        lang.tr(super::i18n::Text::Suggested),
        lang.theme_name(def)
    );
    let hover = format!(
        "{}{}\n{} (Y) · {} (X)",
        lang.tr(super::i18n::Text::SuggestedFrom),
        state.describe_measure(&suggestion.from),
        lang.tr(super::i18n::Text::TakeSuggestion),
        lang.tr(super::i18n::Text::RefuseSuggestion),
    );
    let decide = |take: bool| Command::DecideSuggestion {
        target: suggestion.target.clone(),
        theme_id: suggestion.theme_id.clone(),
        take,
    };
    let chip = egui::Button::new(
        RichText::new(text)
            .small()
            .italics()
            .color(style::CHIP_TEXT),
    )
    .small()
    .fill(egui::Color32::TRANSPARENT)
    .stroke(egui::Stroke::new(1.0, style::chip_fill(def.rgb())))
    .corner_radius(8.0);
    if ui.add(chip).on_hover_text(&hover).clicked() {
        commands.push(decide(true));
    }
    if ui
        .small_button("×")
        .on_hover_text(lang.tr(super::i18n::Text::RefuseSuggestion))
        .clicked()
    {
        commands.push(decide(false));
    }
}

/// A target as a chip: the few words before the figure in its sentence, then the figure
/// (`培育…企业5个`, not a bare `5个`), at most six characters of context.
fn target_chip_text(target: &crate::model::Target) -> String {
    let Some(at) = target.sentence.find(&target.text) else {
        return target.text.clone();
    };
    let before: Vec<char> = target.sentence.get(..at).unwrap_or("").chars().collect();
    let context: Vec<char> = before
        .iter()
        .rev()
        .take_while(|c| !matches!(c, '，' | '。' | '；' | ',' | ';' | '、' | '：' | ':'))
        .take(6)
        .copied()
        .collect();
    let context: String = context.into_iter().rev().collect();
    format!("{context}{}", target.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_chips_carry_their_metric() {
        let target = crate::model::Target {
            kind: crate::model::TargetKind::Count,
            value: 5.0,
            unit: "个".to_owned(),
            text: "5个".to_owned(),
            sentence: "到2025年，新培育市级质量标杆企业5个。".to_owned(),
        };
        assert_eq!(target_chip_text(&target), "质量标杆企业5个");
    }
}
