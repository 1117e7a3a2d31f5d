//! JSON writers: a plan (`planalign.plan/1`), an alignment (`planalign.alignment/1`, with the
//! report's header, summary, coverage and targets), a trace (`planalign.trace/1`) and a coverage
//! matrix (`planalign.coverage/1`). Numbers that came from `f32` settings are written as their
//! shortest decimal (`0.2`, not `0.20000000298023224`).

use serde_json::{Value, json};

use crate::align::{Alignment, CoverageMatrix, Link};
use crate::model::{Agency, Measure, Meta, Plan, Side};
use crate::themes::Codebook;

use super::ReportError;
use super::model::{AlignmentReport, TargetItem};
use super::trace::TraceReport;

/// Schema tag of the plan JSON.
pub const PLAN_SCHEMA: &str = "planalign.plan/1";
/// Schema tag of the alignment JSON.
pub const ALIGNMENT_SCHEMA: &str = "planalign.alignment/1";
/// Schema tag of the coverage JSON.
pub const COVERAGE_SCHEMA: &str = "planalign.coverage/1";
/// Schema tag of the trace JSON.
pub const TRACE_SCHEMA: &str = "planalign.trace/1";

/// Pretty JSON file bytes with a final newline, floats without `f32` noise.
pub fn json_bytes(value: &Value) -> Result<Vec<u8>, ReportError> {
    let mut value = value.clone();
    tidy_floats(&mut value);
    let mut bytes = serde_json::to_vec_pretty(&value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Rewrites every float that is exactly an `f32` as the shortest decimal of that `f32`.
pub(super) fn tidy_floats(value: &mut Value) {
    match value {
        Value::Number(number) if number.is_f64() => {
            let Some(wide) = number.as_f64() else { return };
            #[expect(
                clippy::cast_possible_truncation,
                reason = "the narrowing is checked: only values that are exactly an f32 change"
            )]
            let narrow = wide as f32;
            if f64::from(narrow) == wide
                && let Ok(short) = narrow.to_string().parse::<f64>()
                && let Some(tidy) = serde_json::Number::from_f64(short)
            {
                *number = tidy;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_floats),
        Value::Object(fields) => fields.values_mut().for_each(tidy_floats),
        _ => {}
    }
}

/// The plan as JSON: metadata, measures, goals, guarantees and warnings; unknown values are null.
pub fn plan_json(plan: &Plan) -> Value {
    json!({
        "schema": PLAN_SCHEMA,
        "id": plan.id,
        "meta": meta_json(&plan.meta),
        "measures": plan.measures.iter().map(item_json).collect::<Vec<_>>(),
        "goals": plan.goals.iter().map(item_json).collect::<Vec<_>>(),
        "guarantees": plan.guarantees.iter().map(item_json).collect::<Vec<_>>(),
        "warnings": plan.warnings.iter().map(|w| json!({
            "code": w.code, "message": w.message, "line": w.line,
        })).collect::<Vec<_>>(),
        "source": source_json(plan),
    })
}

fn source_json(plan: &Plan) -> Value {
    json!({
        "file_name": plan.source.file_name,
        "sha256": plan.source.sha256,
        "encoding": plan.source.encoding,
        "imported_at": plan.source.imported_at,
    })
}

/// Plan metadata as JSON; unknown values are null.
pub fn meta_json(meta: &Meta) -> Value {
    json!({
        "title": meta.title,
        "issuer": meta.issuer,
        "doc_number": meta.doc_number,
        "date": meta.date.map(|d| d.iso()),
        "jurisdiction": {
            "name": meta.jurisdiction.name,
            "level": meta.jurisdiction.level.map(|l| l.as_str()),
            "parent": meta.jurisdiction.parent,
            "code": meta.jurisdiction.code,
            "lineage": meta.jurisdiction.lineage_names(),
        },
        "subject_level": meta.subject_level.map(|l| l.as_str()),
        "period": { "start": meta.period.start, "end": meta.period.end },
        "kind": meta.kind.as_str(),
    })
}

/// One measure (or goal or guarantee) as JSON.
pub fn item_json(item: &Measure) -> Value {
    json!({
        "id": item.id,
        "ordinal": item.ordinal,
        "label": item.label,
        "path": item.path,
        "title": item.title,
        "text": item.text,
        "lead_units": item.lead_units.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        "support_units": item.support_units.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        "unit_types": item.lead_units.iter().chain(&item.support_units).map(agency_json).collect::<Vec<_>>(),
        "targets": item.targets.iter().map(|t| json!({
            "kind": t.kind, "value": t.value, "unit": t.unit, "text": t.text, "sentence": t.sentence,
        })).collect::<Vec<_>>(),
        "line": item.line,
    })
}

fn agency_json(agency: &Agency) -> Value {
    json!({
        "name": agency.name,
        "type": agency.agency_type,
        "level": agency.level.map(|l| l.as_str()),
    })
}

/// A short JSON summary of a plan: metadata, id, measure count, source and short label.
pub fn plan_summary_json(plan: &Plan) -> Value {
    let mut summary = meta_json(&plan.meta);
    if let Value::Object(fields) = &mut summary {
        fields.insert("id".to_owned(), json!(plan.id));
        fields.insert("label".to_owned(), json!(plan.short_label()));
        fields.insert("num_measures".to_owned(), json!(plan.measures.len()));
        fields.insert("source".to_owned(), source_json(plan));
    }
    summary
}

fn measure_json(measure: Option<&Measure>, id: &str) -> Value {
    match measure {
        Some(m) => json!({ "id": m.id, "ordinal": m.ordinal, "label": m.label, "title": m.title }),
        None => json!({ "id": id, "ordinal": null, "label": null, "title": null }),
    }
}

/// Rounds a score for output, so reports do not show float noise.
pub(super) fn round3(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}

/// One link as JSON.
pub fn link_json(link: &Link, left: &Plan, right: &Plan) -> Value {
    json!({
        "left": measure_json(left.measure(&link.left_id), &link.left_id),
        "right": measure_json(right.measure(&link.right_id), &link.right_id),
        "score": round3(link.score),
        "likelihood": crate::align::likelihood_band(link.score).1,
        "kind": link.kind.as_str(),
        "status": link.status.as_str(),
        "origin": link.origin.as_str(),
        "shared_themes": link.shared_themes,
        "shared_phrases": link.shared_phrases,
        "shared_units": link.shared_units,
        "signals": {
            "text": round3(link.signals.text),
            "theme": link.signals.theme.map(round3),
            "agency": link.signals.agency.map(round3),
            "left_containment": round3(link.signals.left_containment),
            "right_containment": round3(link.signals.right_containment),
        },
        "evidence": link.evidence.iter().map(|part| json!({
            "name": part.name,
            "value": round3(part.value),
            "contribution": round3(part.contribution),
        })).collect::<Vec<_>>(),
        "note": link.note,
    })
}

fn ordinals(plan: &Plan, ids: &[String]) -> Vec<Value> {
    ids.iter()
        .map(|id| plan.measure(id).map_or(Value::Null, |m| json!(m.ordinal)))
        .collect()
}

/// The alignment as JSON.
pub fn alignment_json(alignment: &Alignment, left: &Plan, right: &Plan) -> Value {
    let mut value = json!({
        "schema": ALIGNMENT_SCHEMA,
        "left": plan_summary_json(left),
        "right": plan_summary_json(right),
        "links": alignment.links.iter().map(|l| link_json(l, left, right)).collect::<Vec<_>>(),
        "unmatched_left": ordinals(left, &alignment.unmatched_left),
        "unmatched_right": ordinals(right, &alignment.unmatched_right),
        "unmatched_left_ids": alignment.unmatched_left,
        "unmatched_right_ids": alignment.unmatched_right,
        "config": alignment.config,
    });
    tidy_floats(&mut value);
    value
}

/// The alignment JSON with the report's header, summary, coverage and targets added.
pub fn report_json(report: &AlignmentReport<'_>) -> Value {
    let mut value = alignment_json(report.alignment, report.left, report.right);
    let s = &report.summary;
    let names = |side: Side, ids: &[String]| -> Vec<Value> {
        ids.iter()
            .map(|id| json!({ "id": id, "label_title": report.label_title(side, id) }))
            .collect()
    };
    let items = |side: Side, items: &[TargetItem]| -> Vec<Value> {
        items
            .iter()
            .map(|i| {
                json!({
                    "measure_id": i.measure_id,
                    "label_title": report.label_title(side, &i.measure_id),
                    "text": i.text,
                })
            })
            .collect()
    };
    let counts = |pairs: &[(&str, usize)]| -> serde_json::Map<String, Value> {
        pairs
            .iter()
            .map(|(name, n)| ((*name).to_owned(), json!(n)))
            .collect()
    };
    if let Value::Object(fields) = &mut value {
        let generated = Some(&report.generated).filter(|g| !g.is_empty());
        fields.insert("generated".to_owned(), json!(generated));
        let by_kind: Vec<(&str, usize)> = s.by_kind.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        let by_status: Vec<(&str, usize)> =
            s.by_status.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        fields.insert(
            "summary".to_owned(),
            json!({
                "links": s.links,
                "by_kind": counts(&by_kind),
                "by_status": counts(&by_status),
                "manual": s.manual,
                "measures": [s.measures.0, s.measures.1],
                "unmatched": [s.unmatched.0, s.unmatched.1],
                "linked_share": [round_share(s.linked_share(Side::Left)), round_share(s.linked_share(Side::Right))],
            }),
        );
        fields.insert(
            "coverage".to_owned(),
            report
                .coverage
                .iter()
                .map(|row| {
                    json!({
                        "theme_id": row.theme_id,
                        "theme": report.theme_name(&row.theme_id),
                        "left": names(Side::Left, &row.left),
                        "right": names(Side::Right, &row.right),
                    })
                })
                .collect(),
        );
        fields.insert(
            "hand_tags".to_owned(),
            report
                .hand_tags
                .iter()
                .map(|((side, measure_id, theme_id), from)| {
                    json!({
                        "side": side.key(),
                        "measure_id": measure_id,
                        "theme_id": theme_id,
                        "theme": report.theme_name(theme_id),
                        "carried_from": from,
                    })
                })
                .collect(),
        );
        fields.insert(
            "targets".to_owned(),
            report
                .targets
                .iter()
                .map(|pair| {
                    json!({
                        "theme_id": pair.theme_id,
                        "theme": report.theme_name(&pair.theme_id),
                        "left": items(Side::Left, &pair.left),
                        "right": items(Side::Right, &pair.right),
                    })
                })
                .collect(),
        );
    }
    value
}

/// A share rounded to three decimals.
fn round_share(share: f64) -> f64 {
    (share * 1000.0).round() / 1000.0
}

/// The trace report as JSON.
pub(super) fn trace_json(report: &TraceReport<'_>) -> Value {
    let labels = report.column_labels();
    json!({
        "schema": TRACE_SCHEMA,
        "generated": report.generated,
        "base": plan_summary_json(report.base),
        "others": report.others.iter().map(|p| plan_summary_json(p)).collect::<Vec<_>>(),
        "columns": labels,
        "config": report.settings.config,
        "threshold": report.settings.threshold,
        "summary": report.others.iter().enumerate().map(|(i, plan)| json!({
            "plan_id": plan.id,
            "base_measures_taken_up": report.taken_up(i),
            "base_measures": report.base.measures.len(),
            "own_measures": report.own.get(i).map_or(0, Vec::len),
            "measures": plan.measures.len(),
        })).collect::<Vec<_>>(),
        "rows": report.rows.iter().map(|row| json!({
            "measure_id": row.measure_id,
            "label_title": report.base_label(&row.measure_id),
            "counterparts": row.cells.iter().map(|cells| cells.iter().map(|c| json!({
                "measure_id": c.measure_id,
                "score": round3(c.score),
                "kind": c.kind.as_str(),
            })).collect::<Vec<_>>()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "own": report.own,
    })
}

/// The coverage matrix as JSON.
pub fn coverage_json(matrix: &CoverageMatrix, plans: &[&Plan], codebook: &Codebook) -> Value {
    json!({
        "schema": COVERAGE_SCHEMA,
        "plans": plans.iter().map(|p| plan_summary_json(p)).collect::<Vec<_>>(),
        "themes": matrix.theme_ids.iter().enumerate().map(|(t, id)| json!({
            "id": id,
            "zh": codebook.theme(id).map(|th| th.zh.clone()),
            "en": codebook.theme(id).map(|th| th.en.clone()),
            "pillar": codebook.pillar_of(id).map(|p| p.id.clone()),
            "cells": matrix.plan_ids.iter().enumerate().map(|(p, plan_id)| json!({
                "plan_id": plan_id,
                "count": matrix.count(t, p),
                "measure_ids": matrix.cells.get(t).and_then(|row| row.get(p)).map(|c| c.measure_ids.clone()).unwrap_or_default(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f32_settings_come_out_as_short_decimals() {
        let mut value = json!({ "a": 0.2_f32, "b": [0.28_f32, 0.123], "c": 3 });
        tidy_floats(&mut value);
        assert_eq!(value.to_string(), r#"{"a":0.2,"b":[0.28,0.123],"c":3}"#);
    }
}
