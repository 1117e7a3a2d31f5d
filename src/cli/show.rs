//! `planalign show`: a plan's outline with counts and agencies, or its JSON.

use std::fmt::Write as _;
use std::path::Path;

use crate::model::{Measure, Plan, Section};
use crate::persist;
use crate::report;

use super::ShowFormat;

/// Prints the plan at `path` (raw text or .ron).
pub fn show(path: &Path, format: ShowFormat) -> Result<(), String> {
    let plan = persist::open_plan(path).map_err(|err| err.to_string())?;
    let output = match format {
        ShowFormat::Json => serde_json::to_string_pretty(&report::plan_json(&plan))
            .map_err(|err| format!("cannot write JSON ({err})"))?,
        ShowFormat::Text => outline_text(&plan),
    };
    super::align::print_out(format!("{output}\n").as_bytes())
}

/// The outline as indented text: metadata, sections, items with agencies and targets, warnings.
pub fn outline_text(plan: &Plan) -> String {
    let meta = &plan.meta;
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    let mut out = String::new();
    let _ = writeln!(out, "{}", meta.title);
    let jurisdiction = &meta.jurisdiction;
    let _ = writeln!(
        out,
        "  jurisdiction  {} ({}){}",
        or_dash(jurisdiction.name.clone()),
        jurisdiction.level.map_or("unknown level", |l| l.as_str()),
        jurisdiction
            .parent
            .as_ref()
            .map(|p| format!(", in {p}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "  issuer        {}", or_dash(meta.issuer.clone()));
    let _ = writeln!(out, "  doc number    {}", or_dash(meta.doc_number.clone()));
    let _ = writeln!(
        out,
        "  date          {}",
        or_dash(meta.date.map(|d| d.iso()))
    );
    let year = |y: Option<i32>| y.map_or("?".to_owned(), |y| y.to_string());
    let _ = writeln!(
        out,
        "  period        {}–{}",
        year(meta.period.start),
        year(meta.period.end)
    );
    let _ = writeln!(out, "  kind          {}", meta.kind.as_str());
    let num_units: usize = plan
        .measures
        .iter()
        .map(|m| m.lead_units.len() + m.support_units.len())
        .sum();
    let num_targets: usize = plan.all_items_unsorted().map(|m| m.targets.len()).sum();
    let _ = writeln!(
        out,
        "  counts        {} measures, {} goals, {} guarantees, {num_units} agency mentions, {num_targets} targets, {} warnings",
        plan.measures.len(),
        plan.goals.len(),
        plan.guarantees.len(),
        plan.warnings.len()
    );
    for section in &plan.sections {
        section_text(plan, section, 0, &mut out);
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for warning in &plan.warnings {
            let line = warning
                .line
                .map(|l| format!("line {l}: "))
                .unwrap_or_default();
            let _ = writeln!(out, "  {line}{} ({})", warning.message, warning.code);
        }
    }
    out
}

fn section_text(plan: &Plan, section: &Section, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    if !section.label.is_empty() {
        let _ = writeln!(out, "\n{indent}{}{}", section.label, section.title);
    }
    for child in &section.children {
        section_text(plan, child, depth + 1, out);
    }
    let item_depth = if section.label.is_empty() {
        depth
    } else {
        depth + 1
    };
    for item_id in &section.item_ids {
        if let Some(item) = plan.all_items_unsorted().find(|m| &m.id == item_id) {
            item_text(item, item_depth, out);
        }
    }
}

fn item_text(item: &Measure, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let kind = match item.kind {
        crate::model::ItemKind::Measure => "",
        crate::model::ItemKind::Goal => " [goal]",
        crate::model::ItemKind::Guarantee => " [guarantee]",
    };
    let _ = writeln!(
        out,
        "{indent}{}{}{kind}  ({})",
        item.label, item.title, item.id
    );
    let names = |units: &[crate::model::Agency]| {
        units
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    if !item.lead_units.is_empty() {
        let _ = writeln!(out, "{indent}    lead: {}", names(&item.lead_units));
    }
    if !item.support_units.is_empty() {
        let _ = writeln!(out, "{indent}    support: {}", names(&item.support_units));
    }
    if !item.targets.is_empty() {
        let targets: Vec<&str> = item.targets.iter().map(|t| t.text.as_str()).collect();
        let _ = writeln!(out, "{indent}    targets: {}", targets.join(" · "));
    }
}
