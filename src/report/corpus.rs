//! The tables of a corpus run (`planalign batch`): a link table, one row per link, written as
//! links are found, and a plans table, one row per plan. Both come as CSV (UTF-8 with BOM,
//! every field neutralised against formula injection) or as JSON lines, and join on the plan
//! id, e.g. in DuckDB or pandas.

use std::io::Write;

use serde_json::{Value, json};

use crate::align::{BatchPair, Neighbour, evidence_line};
use crate::model::Plan;

use super::ReportError;
use super::csv::neutralise;
use super::json::round3;

/// The format of a corpus table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV, UTF-8 with BOM.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// The columns of the link table.
const LINK_COLUMNS: [&str; 10] = [
    "left_plan",
    "right_plan",
    "left_measure",
    "right_measure",
    "left_label",
    "right_label",
    "left_ordinal",
    "right_ordinal",
    "score",
    "kind",
];

/// The further columns of an explained link table.
const EXPLAIN_COLUMNS: [&str; 5] = [
    "text_similarity",
    "evidence",
    "shared_phrases",
    "shared_themes",
    "shared_units",
];

/// The columns of the plans table.
const PLAN_COLUMNS: [&str; 14] = [
    "plan",
    "title",
    "issuer",
    "doc_number",
    "date",
    "jurisdiction",
    "level",
    "parent",
    "kind",
    "period_start",
    "period_end",
    "measures",
    "file",
    "sha256",
];

/// One line of either format: CSV fields (neutralised here) or a JSON object.
fn write_row(
    out: &mut dyn Write,
    format: TableFormat,
    columns: &[&str],
    values: Vec<Value>,
) -> Result<(), ReportError> {
    match format {
        TableFormat::Csv => {
            let fields: Vec<String> = values
                .iter()
                .map(|value| match value {
                    Value::Null => String::new(),
                    Value::String(text) => neutralise(text),
                    Value::Array(items) => neutralise(
                        &items
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("；"),
                    ),
                    other => neutralise(&other.to_string()),
                })
                .collect();
            let mut line = String::new();
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                push_csv_field(&mut line, field);
            }
            line.push('\n');
            out.write_all(line.as_bytes())
                .map_err(|err| ReportError::Csv(err.into()))?;
        }
        TableFormat::JsonLines => {
            let object: serde_json::Map<String, Value> = columns
                .iter()
                .map(|c| (*c).to_owned())
                .zip(values.into_iter().map(clean_value))
                .collect();
            serde_json::to_writer(&mut *out, &Value::Object(object))?;
            out.write_all(b"\n")
                .map_err(|err| ReportError::Csv(err.into()))?;
        }
    }
    Ok(())
}

/// A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break,
/// with quotes doubled.
fn push_csv_field(line: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&field.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(field);
    }
}

/// A JSON value with its text cleaned of hidden characters.
fn clean_value(value: Value) -> Value {
    match value {
        Value::String(text) => Value::String(super::clean(&text).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(clean_value).collect()),
        other => other,
    }
}

/// The header of a CSV table (after the BOM); nothing for JSON lines.
fn write_header(
    out: &mut dyn Write,
    format: TableFormat,
    columns: &[&str],
) -> Result<(), ReportError> {
    if format == TableFormat::Csv {
        out.write_all(&[0xEF, 0xBB, 0xBF])
            .map_err(|err| ReportError::Csv(err.into()))?;
        let values = columns.iter().map(|c| Value::from(*c)).collect();
        write_row(out, format, columns, values)?;
    }
    Ok(())
}

/// The link table, written a pair of plans at a time.
pub struct LinkTable<W: Write> {
    out: W,
    format: TableFormat,
    explain: bool,
    columns: Vec<&'static str>,
    /// Each plan's fields as written, by corpus index, made the first time the plan is in a
    /// row: a corpus run writes each plan's ids and labels many thousand times.
    cells: Vec<Option<PlanCells>>,
    /// The order JSON lines list the link columns in (as `write_row` writes them).
    json_order: Vec<usize>,
    /// The row being written.
    line: Vec<u8>,
    /// The score column's text for each score in thousandths (0–1000), made on first use: a
    /// corpus run writes the same thousand numbers hundreds of thousands of times.
    score_cells: Vec<String>,
}

/// The text of a score rounded to thousandths, as every table writes it.
fn score_cell(score: f32) -> String {
    Value::from(round3(score)).to_string()
}

/// The text of every score from 0 to 1 in thousandths, by thousandths.
fn score_cells() -> Vec<String> {
    (0..=1000u16)
        .map(|n| Value::from(f64::from(n) / 1000.0).to_string())
        .collect()
}

/// The text [`score_cell`] makes for `score`, from `cells` (made by [`score_cells`]); `None`
/// for a score outside 0–1.
fn cached_score_cell(cells: &[String], score: f32) -> Option<&str> {
    // What [`round3`] divides by 1000.
    let thousandths = (f64::from(score) * 1000.0).round();
    if !(0.0..=1000.0).contains(&thousandths) || thousandths.is_sign_negative() {
        return None;
    }
    // In range and integral, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let index = thousandths as usize;
    cells.get(index).map(String::as_str)
}

/// A plan's fields as a link table writes them: neutralised and quoted for CSV, encoded for
/// JSON.
struct PlanCells {
    id: String,
    /// Per measure: id, label and ordinal.
    measures: Vec<[String; 3]>,
}

impl PlanCells {
    fn new(plan: &Plan, format: TableFormat) -> Self {
        let cell = |value: Value| -> String {
            match format {
                TableFormat::Csv => {
                    let field = match &value {
                        Value::String(text) => neutralise(text),
                        other => neutralise(&other.to_string()),
                    };
                    let mut line = String::new();
                    push_csv_field(&mut line, &field);
                    line
                }
                TableFormat::JsonLines => clean_value(value).to_string(),
            }
        };
        Self {
            id: cell(Value::from(plan.id.as_str())),
            measures: plan
                .measures
                .iter()
                .map(|m| {
                    [
                        cell(Value::from(m.id.as_str())),
                        cell(Value::from(m.label.as_str())),
                        cell(Value::from(m.ordinal)),
                    ]
                })
                .collect(),
        }
    }
}

impl<W: Write> LinkTable<W> {
    /// Starts a link table (writes the CSV header); `explain` adds the explanation columns.
    pub fn new(mut out: W, format: TableFormat, explain: bool) -> Result<Self, ReportError> {
        let mut columns: Vec<&'static str> = LINK_COLUMNS.to_vec();
        if explain {
            columns.extend(EXPLAIN_COLUMNS);
        }
        write_header(&mut out, format, &columns)?;
        let keys: serde_json::Map<String, Value> = LINK_COLUMNS
            .iter()
            .map(|c| ((*c).to_owned(), Value::Null))
            .collect();
        let json_order = keys
            .keys()
            .filter_map(|key| LINK_COLUMNS.iter().position(|c| c == key))
            .collect();
        Ok(Self {
            out,
            format,
            explain,
            columns,
            cells: Vec::new(),
            json_order,
            line: Vec::new(),
            score_cells: Vec::new(),
        })
    }

    /// Makes the cells of the plans at `indices` (corpus indices into `plans`).
    fn prepare(&mut self, plans: &[&Plan], indices: [usize; 2]) {
        for index in indices {
            if self.cells.len() <= index {
                self.cells.resize_with(index + 1, || None);
            }
            if let (Some(slot @ None), Some(plan)) = (self.cells.get_mut(index), plans.get(index)) {
                *slot = Some(PlanCells::new(plan, self.format));
            }
        }
    }

    /// Writes the links of one pair of plans without explanations, from the plans' cells:
    /// the same bytes as [`write_row`] writes.
    fn write_pair_brief(
        &mut self,
        plans: &[&Plan],
        pair: &BatchPair,
    ) -> Result<usize, ReportError> {
        self.prepare(plans, [pair.left, pair.right]);
        if self.score_cells.is_empty() {
            self.score_cells = score_cells();
        }
        let (Some(Some(left)), Some(Some(right))) =
            (self.cells.get(pair.left), self.cells.get(pair.right))
        else {
            return Ok(0);
        };
        let mut rows = 0;
        for link in &pair.links {
            let (Some(lhs), Some(rhs)) = (
                left.measures.get(link.pair.left_measure),
                right.measures.get(link.pair.right_measure),
            ) else {
                continue;
            };
            let computed;
            let score = match cached_score_cell(&self.score_cells, link.pair.score) {
                Some(cell) => cell,
                None => {
                    computed = score_cell(link.pair.score);
                    computed.as_str()
                }
            };
            let kind = link.pair.kind.as_str();
            let json_kind;
            let kind = match self.format {
                TableFormat::Csv => kind,
                TableFormat::JsonLines => {
                    json_kind = Value::from(kind).to_string();
                    json_kind.as_str()
                }
            };
            let fields: [&str; 10] = [
                &left.id, &right.id, &lhs[0], &rhs[0], &lhs[1], &rhs[1], &lhs[2], &rhs[2], score,
                kind,
            ];
            let line = &mut self.line;
            line.clear();
            match self.format {
                TableFormat::Csv => {
                    for (i, field) in fields.iter().enumerate() {
                        if i > 0 {
                            line.push(b',');
                        }
                        line.extend_from_slice(field.as_bytes());
                    }
                }
                TableFormat::JsonLines => {
                    line.push(b'{');
                    for (n, &i) in self.json_order.iter().enumerate() {
                        let (Some(column), Some(field)) = (LINK_COLUMNS.get(i), fields.get(i))
                        else {
                            continue;
                        };
                        if n > 0 {
                            line.push(b',');
                        }
                        line.push(b'"');
                        line.extend_from_slice(column.as_bytes());
                        line.extend_from_slice(b"\":");
                        line.extend_from_slice(field.as_bytes());
                    }
                    line.push(b'}');
                }
            }
            line.push(b'\n');
            self.out
                .write_all(line)
                .map_err(|err| ReportError::Csv(err.into()))?;
            rows += 1;
        }
        Ok(rows)
    }

    /// Writes the links of one pair of plans; `plans` are the corpus plans the pair's indices
    /// point into. Returns the number of rows written.
    pub fn write_pair(&mut self, plans: &[&Plan], pair: &BatchPair) -> Result<usize, ReportError> {
        if !self.explain {
            return self.write_pair_brief(plans, pair);
        }
        let (Some(left), Some(right)) = (plans.get(pair.left), plans.get(pair.right)) else {
            return Ok(0);
        };
        let mut rows = 0;
        for link in &pair.links {
            let (Some(lhs), Some(rhs)) = (
                left.measures.get(link.pair.left_measure),
                right.measures.get(link.pair.right_measure),
            ) else {
                continue;
            };
            let mut values = vec![
                Value::from(left.id.as_str()),
                Value::from(right.id.as_str()),
                Value::from(lhs.id.as_str()),
                Value::from(rhs.id.as_str()),
                Value::from(lhs.label.as_str()),
                Value::from(rhs.label.as_str()),
                Value::from(lhs.ordinal),
                Value::from(rhs.ordinal),
                json!(round3(link.pair.score)),
                Value::from(link.pair.kind.as_str()),
            ];
            if self.explain {
                let explained = link.explained.as_deref();
                values.push(explained.map_or(Value::Null, |l| json!(round3(l.signals.text))));
                values.push(
                    explained.map_or(Value::Null, |l| Value::from(evidence_line(&l.evidence))),
                );
                for list in [
                    explained.map(|l| &l.shared_phrases),
                    explained.map(|l| &l.shared_themes),
                    explained.map(|l| &l.shared_units),
                ] {
                    values.push(Value::Array(
                        list.into_iter()
                            .flatten()
                            .map(|s| Value::from(s.as_str()))
                            .collect(),
                    ));
                }
            }
            write_row(&mut self.out, self.format, &self.columns, values)?;
            rows += 1;
        }
        Ok(rows)
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> Result<W, ReportError> {
        self.out
            .flush()
            .map_err(|err| ReportError::Csv(err.into()))?;
        Ok(self.out)
    }
}

/// The columns of the neighbours table.
const NEIGHBOUR_COLUMNS: [&str; 10] = [
    "plan",
    "measure",
    "label",
    "ordinal",
    "rank",
    "other_plan",
    "other_measure",
    "other_label",
    "other_ordinal",
    "score",
];

/// The neighbours table: one row per measure and neighbour (rank 1 = best). `lists` holds, per
/// plan of `members` (corpus indices into `plans`), per measure, its neighbours. Returns the
/// number of rows written.
pub fn write_neighbours(
    out: &mut dyn Write,
    format: TableFormat,
    plans: &[&Plan],
    members: &[usize],
    lists: &[Vec<Vec<Neighbour>>],
) -> Result<usize, ReportError> {
    write_header(out, format, &NEIGHBOUR_COLUMNS)?;
    let mut rows = 0;
    for (&member, per_measure) in members.iter().zip(lists) {
        let Some(plan) = plans.get(member) else {
            continue;
        };
        for (measure, neighbours) in plan.measures.iter().zip(per_measure) {
            for (rank, neighbour) in neighbours.iter().enumerate() {
                let Some(other) = plans.get(neighbour.plan) else {
                    continue;
                };
                let Some(other_measure) = other.measures.get(neighbour.measure) else {
                    continue;
                };
                let values = vec![
                    Value::from(plan.id.as_str()),
                    Value::from(measure.id.as_str()),
                    Value::from(measure.label.as_str()),
                    Value::from(measure.ordinal),
                    Value::from(rank + 1),
                    Value::from(other.id.as_str()),
                    Value::from(other_measure.id.as_str()),
                    Value::from(other_measure.label.as_str()),
                    Value::from(other_measure.ordinal),
                    json!(round3(neighbour.score)),
                ];
                write_row(out, format, &NEIGHBOUR_COLUMNS, values)?;
                rows += 1;
            }
        }
    }
    out.flush().map_err(|err| ReportError::Csv(err.into()))?;
    Ok(rows)
}

/// The plans table: one row per plan, with where it came from.
pub fn plans_table(
    plans: &[&Plan],
    files: &[String],
    format: TableFormat,
) -> Result<Vec<u8>, ReportError> {
    let mut out: Vec<u8> = Vec::new();
    write_header(&mut out, format, &PLAN_COLUMNS)?;
    for (i, plan) in plans.iter().enumerate() {
        let meta = &plan.meta;
        let text = |value: Option<&str>| value.map_or(Value::Null, Value::from);
        let file = files
            .get(i)
            .map_or(plan.source.file_name.as_str(), String::as_str);
        let values = vec![
            Value::from(plan.id.as_str()),
            Value::from(meta.title.as_str()),
            text(meta.issuer.as_deref()),
            text(meta.doc_number.as_deref()),
            meta.date.map_or(Value::Null, |d| Value::from(d.iso())),
            text(meta.jurisdiction.name.as_deref()),
            text(meta.jurisdiction.level.map(crate::model::Level::as_str)),
            text(meta.jurisdiction.parent.as_deref()),
            Value::from(meta.kind.as_str()),
            meta.period.start.map_or(Value::Null, Value::from),
            meta.period.end.map_or(Value::Null, Value::from),
            Value::from(plan.measures.len()),
            Value::from(file),
            Value::from(plan.source.sha256.as_str()),
        ];
        write_row(&mut out, format, &PLAN_COLUMNS, values)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_fields_are_neutralised_in_csv_and_cleaned_in_json() {
        let columns = ["a", "b"];
        let values = || {
            vec![
                Value::from("=HYPERLINK(\"x\")"),
                Value::Array(vec![Value::from("@SUM(1)"), Value::from("a\u{202e}b")]),
            ]
        };
        let mut csv = Vec::new();
        write_row(&mut csv, TableFormat::Csv, &columns, values()).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with("\"'=HYPERLINK(\"\"x\"\")\","), "{csv}");
        let read: Vec<String> = ::csv::Reader::from_reader(format!("a,b\n{csv}").as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(read, ["'=HYPERLINK(\"x\")", "'@SUM(1)；ab"]);
        assert!(!csv.contains('\u{202e}'));
        let mut jsonl = Vec::new();
        write_row(&mut jsonl, TableFormat::JsonLines, &columns, values()).unwrap();
        let line: Value = serde_json::from_slice(&jsonl).unwrap();
        assert_eq!(line["b"][1], "ab");
        assert_eq!(line["a"], "=HYPERLINK(\"x\")", "JSON keeps text as text");
    }

    #[test]
    fn cached_scores_are_written_as_computed_ones() {
        let cells = score_cells();
        // Every f32 from 0 to 1 in steps finer than the rounding, the values around each
        // thousandth's rounding edge, and the ends.
        let mut scores: Vec<f32> = (0..=100_000u32).map(|n| n as f32 / 100_000.0).collect();
        for n in 0..1000u16 {
            let edge = (f32::from(n) + 0.5) / 1000.0;
            scores.extend([edge.next_down(), edge, edge.next_up()]);
        }
        scores.extend([0.0, 1.0, f32::MIN_POSITIVE]);
        for score in scores {
            assert_eq!(
                cached_score_cell(&cells, score),
                Some(score_cell(score).as_str()),
                "{score}"
            );
        }
        for score in [-0.0, -0.1, 1.001, 2.0, f32::NAN, f32::INFINITY] {
            assert_eq!(cached_score_cell(&cells, score), None, "{score}");
        }
    }
}
