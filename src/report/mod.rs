//! Reports built from the core data: plan JSON (`planalign.plan/1`); the alignment report
//! model ([`AlignmentReport`]) and its writers (XLSX, HTML, Markdown, CSV, JSON); coverage
//! writers.

mod alignment;
mod html;
mod model;
mod trace;
mod xlsx;

pub use alignment::*;
pub use html::{alignment_html, escape as html_escape};
pub use model::{AlignmentReport, CoverageRow, Summary, TargetItem, TargetPair};
pub use trace::{TraceCell, TraceReport, TraceRow, build_trace, trace_report};
pub use xlsx::{SHEETS as XLSX_SHEETS, alignment_xlsx, trace_xlsx};

use serde_json::{Value, json};

use crate::model::{Agency, Measure, Meta, Plan};

/// Schema tag of the plan JSON.
pub const PLAN_SCHEMA: &str = "planalign.plan/1";

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
        "source": {
            "file_name": plan.source.file_name,
            "sha256": plan.source.sha256,
            "encoding": plan.source.encoding,
            "imported_at": plan.source.imported_at,
        },
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
        },
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
